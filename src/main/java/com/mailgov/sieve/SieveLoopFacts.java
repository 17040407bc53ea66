package com.mailgov.sieve;

import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.policy.facts.ObservedFact;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A mailbox's own Sieve script as loop facts. Whatever answers the sender (vacation, reject, a
 * notify or redirect aimed at a captured header such as Reply-To) becomes one autoreply of the
 * mailbox; notify and redirect answer every message, so their autoreply has interval 0
 * ("unbounded"). A notify or redirect to a fixed address is a forward from the mailbox to that
 * address (the message, or news of it, goes there every time). Responders inside an {@code if}
 * count too: the loop engine assumes the condition can hold.
 */
public final class SieveLoopFacts {

    /** Pigeonhole's default {@code sieve_vacation_default_period} when a script gives no {@code :days}. */
    public static final int DEFAULT_VACATION_DAYS = 7;

    private SieveLoopFacts() {
    }

    public static List<ObservedFact> of(String source, String mailbox, String scriptName, SieveAnalysis analysis) {
        List<ObservedFact> out = new ArrayList<>();
        if (!analysis.parses()) {
            return out; // Dovecot does not run a script it cannot compile
        }
        Integer days = null;
        Set<String> addresses = new LinkedHashSet<>();
        Set<String> fixedTargets = new LinkedHashSet<>();
        List<String> replyKinds = new ArrayList<>();
        List<String> forwardKinds = new ArrayList<>();
        boolean naive = false;
        for (Responder r : analysis.responders()) {
            if (r.answersSender()) {
                int d = intervalDays(r);
                days = days == null ? d : Math.min(days, d);
                addresses.addAll(r.addresses());
                naive |= r.kind() != Responder.Kind.VACATION;
                replyKinds.add(r.kind().name().toLowerCase(Locale.ROOT) + " (line " + r.line() + ")");
            } else {
                String t = address(r.target());
                if (t != null) {
                    fixedTargets.add(t);
                    forwardKinds.add(r.kind().name().toLowerCase(Locale.ROOT) + " to " + t + " (line " + r.line() + ")");
                }
            }
        }
        String where = "Sieve script \"" + scriptName + "\" of " + mailbox;
        if (days != null) {
            out.add(new ObservedFact(source, where + ": " + String.join(", ", replyKinds),
                    new AutoreplySpec(mailbox, "(hand-made Sieve responder)", null, null, null, days,
                            AutoreplySpec.Audience.ALL, List.copyOf(addresses)), naive));
        }
        if (!fixedTargets.isEmpty()) {
            List<String> targets = new ArrayList<>();
            targets.add(mailbox); // redirect :copy / notify keep the message; worst case for loops is the same
            targets.addAll(fixedTargets);
            out.add(new ObservedFact(source, where + ": " + String.join(", ", forwardKinds),
                    new ForwardSpec(mailbox, List.copyOf(targets), true)));
        }
        return out;
    }

    /** Days between two answers to one sender; 0 means every message. */
    static int intervalDays(Responder r) {
        if (r.unbounded()) {
            return 0;
        }
        if (r.kind() == Responder.Kind.VACATION) {
            return r.intervalSeconds() == null ? DEFAULT_VACATION_DAYS : (int) Math.max(1, r.intervalSeconds() / 86_400);
        }
        return 0; // reject/ereject answer every message
    }

    /** The address of {@code mailto:addr?query} or a plain address; null when there is none to follow. */
    static String address(String target) {
        if (target == null || target.contains("${")) {
            return null;
        }
        String t = target.trim();
        if (t.regionMatches(true, 0, "mailto:", 0, 7)) {
            t = t.substring(7);
            int q = t.indexOf('?');
            if (q >= 0) {
                t = t.substring(0, q);
            }
            int comma = t.indexOf(',');
            if (comma >= 0) {
                t = t.substring(0, comma);
            }
            t = java.net.URLDecoder.decode(t, java.nio.charset.StandardCharsets.UTF_8);
        }
        return t.contains("@") ? t.toLowerCase(Locale.ROOT) : null;
    }
}
