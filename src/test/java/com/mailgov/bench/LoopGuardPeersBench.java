package com.mailgov.bench;

import com.mailgov.push.connector.SieveByHand;
import com.mailgov.testsupport.MailStack;
import com.mailgov.testsupport.PacedTraffic;
import com.mailgov.testsupport.TestListServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The story's loop replayed on the real Postfix + Dovecot (as in LoopGuardStoryTest) with one policy
 * service in front of Postfix, for the side-by-side table: an outside list on 127.0.0.1 whose Reply-To
 * is itself, takahashi's own Sieve notify responder (set over ManageSieve as takahashi), and at the
 * same time legitimate traffic: a busy list (100 posts a minute to 50 members) and a direct
 * correspondence between suzuki and tanaka. Reports messages on the cycle before it stops, the
 * seconds until it stops, and what happened to the legitimate mail (deferred or held, per Postfix's
 * log and the senders' own errors). Bounded: the looping list stops redistributing at its cap, the
 * run at {@code maxSeconds}.
 *
 * <pre>
 * java -cp target/classes:target/test-classes com.mailgov.bench.LoopGuardPeersBench label=mailgov milter=inet:127.0.0.1:PORT
 * java -cp … LoopGuardPeersBench label=postfwd policy=inet:127.0.0.1:PORT
 * java -cp … LoopGuardPeersBench label=none
 * </pre>
 * Run from the project root as root (the stack). Keys: {@code cap} (list posts, 300),
 * {@code maxSeconds} (120), {@code quietSeconds} (the cycle is stopped after this long without a
 * message on it, 15), {@code keepLog} (copy Postfix's log there). Driven by bench/loop-guard-peers.sh.
 */
public final class LoopGuardPeersBench {

    static final String LIST = "test-ml@partner.example";
    static final String BUSY = "busy@partner2.example";
    static final String TAKAHASHI = "takahashi@corp.example";
    static final String SATO = "sato@corp.example";
    static final String SUZUKI = "suzuki@corp.example";
    static final String TANAKA = "tanaka@corp.example";
    /** takahashi's own "thank you" notice (the story's responder, as LoopGuardStoryTest sets it). */
    static final String RESPONDER = """
            require ["enotify", "variables"];
            if header :matches "Reply-To" "*" { set "rt" "${1}"; }
            if string :is "${rt}" "" { if header :matches "From" "*" { set "rt" "${1}"; } }
            notify :message "Thank you, I will answer soon" "mailto:${rt}";
            keep;
            """;
    /** Postfix's log line for a refused (4xx) or held recipient: "… reject: RCPT from …: 450 …; from=<a> to=<b> …". */
    static final Pattern REFUSED = Pattern.compile("(reject: RCPT from \\S+: (4\\d\\d)|hold: \\S+ from \\S+:|milter-hold: \\S+ from \\S+:)"
            + ".*?from=<([^>]*)> to=<([^>]*)>");

    private LoopGuardPeersBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            opts.put(a.substring(0, eq), a.substring(eq + 1));
        }
        String label = opts.getOrDefault("label", "none");
        int cap = Integer.parseInt(opts.getOrDefault("cap", "300"));
        int maxSeconds = Integer.parseInt(opts.getOrDefault("maxSeconds", "120"));
        // long enough for a message Postfix deferred for its own reasons (queue_run_delay 10 s) to come back
        int quietSeconds = Integer.parseInt(opts.getOrDefault("quietSeconds", "15"));

        TestListServer lists = TestListServer.unbound();
        Map<String, String> settings = new HashMap<>();
        settings.put("MAILSTACK_EXTERNAL", "partner.example=smtp:[127.0.0.1]:" + lists.port()
                + " partner2.example=smtp:[127.0.0.1]:" + lists.port());
        if (opts.containsKey("milter")) {
            settings.put("MAILSTACK_MILTER", opts.get("milter"));
        }
        if (opts.containsKey("policy")) {
            settings.put("MAILSTACK_POLICY", opts.get("policy"));
        }
        MailStack stack = MailStack.start(false, settings);
        try {
            lists.postfixPort(stack.port("SMTP_PORT"));
            List<String> members = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                members.add(String.format("member%02d@corp.example", i));
            }
            stack.addUsers(members, true);
            TestListServer.MailList loop = lists.addList(LIST, List.of(TAKAHASHI, SATO), true, true, cap);
            TestListServer.MailList busy = lists.addList(BUSY, members, false, false, 100_000);
            SieveByHand.putActiveAsUser("127.0.0.1", stack.port("MANAGESIEVE_PORT"), TAKAHASHI, stack.env("USER_PASSWORD"),
                    "responder", RESPONDER);

            // ---- legitimate traffic: 100 busy-list posts a minute, a direct correspondence both ways
            AtomicInteger busySent = new AtomicInteger();
            AtomicInteger directSent = new AtomicInteger();
            AtomicInteger legitRefused = new AtomicInteger();
            List<String> legitErrors = java.util.Collections.synchronizedList(new ArrayList<>());
            PacedTraffic traffic = PacedTraffic.start("legitimate-traffic", Duration.ofMillis(600), 1000, i -> {
                if (send(stack, "member01@corp.example", BUSY, "Subject: busy list post " + i + "\n\nnews " + i + "\n", legitErrors)) {
                    busySent.incrementAndGet();
                } else {
                    legitRefused.incrementAndGet();
                }
                if (i % 5 == 0) {
                    for (String[] d : new String[][]{{SUZUKI, TANAKA}, {TANAKA, SUZUKI}}) {
                        if (send(stack, d[0], d[1], "Subject: re: plan " + i + "\n\nok\n", legitErrors)) {
                            directSent.incrementAndGet();
                        } else {
                            legitRefused.incrementAndGet();
                        }
                    }
                }
            });
            Thread.sleep(5000); // the busy list is hot before the loop starts

            // ---- the loop
            long start = System.nanoTime();
            int injected = lists.received().size();
            lists.post(LIST, "partner@partner.example", "Quarterly update", "Hello again");
            long lastEvent = start;
            int lastCount = -1;
            while (System.nanoTime() - start < maxSeconds * 1_000_000_000L) {
                int now = onCycle(lists, injected);
                if (now != lastCount) {
                    lastCount = now;
                    lastEvent = System.nanoTime();
                } else if (System.nanoTime() - lastEvent >= quietSeconds * 1_000_000_000L) {
                    break;
                }
                Thread.sleep(100);
            }
            int cycleMessages = onCycle(lists, injected);
            boolean capped = loop.distributed() >= cap;
            boolean timedOut = System.nanoTime() - start >= maxSeconds * 1_000_000_000L;
            double stopSeconds = (lastEvent - start) / 1e9;

            // legitimate traffic runs at least 30 s in all, then the queue gets 15 s to deliver
            while (System.nanoTime() - start < 25_000_000_000L) {
                Thread.sleep(200);
            }
            traffic.close();
            Thread.sleep(15_000);

            int busyDistributed = busy.distributed();
            long busyRefusedByList = lists.errors().stream().filter(e -> e.contains("distribute " + BUSY)).count();
            long loopRefusedByList = lists.errors().stream().filter(e -> e.contains("distribute " + LIST)).count();
            int busyAtMember25 = count(stack.messages("member25"), "busy list post");
            int directDelivered = count(stack.messages("tanaka"), "re: plan") + count(stack.messages("suzuki"), "re: plan");

            Path postfixLog = stack.dir().resolve("log").resolve("postfix.log");
            if (opts.containsKey("keepLog")) {
                Files.copy(postfixLog, Path.of(opts.get("keepLog")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Map<String, Integer> refused = refusedInLog(postfixLog);
            int onCycleRefused = refused.getOrDefault("cycle", 0);
            int legitRefusedInLog = refused.getOrDefault("legit", 0);

            System.out.printf("== %s (%s), load %s%n", label, settings.getOrDefault("MAILSTACK_MILTER",
                    settings.getOrDefault("MAILSTACK_POLICY", "no policy service")), load());
            System.out.printf("loop: %d messages on the cycle (%d list posts), %s after %.1f s%n", cycleMessages, loop.distributed(),
                    capped ? "NOT stopped: reached the list's cap of " + cap + " posts" : timedOut ? "NOT stopped within " + maxSeconds + " s"
                            : "stopped (no cycle message for " + quietSeconds + " s)", stopSeconds);
            System.out.printf("cycle recipients deferred/held by the policy service (Postfix log): %d; list copies it refused: %d%n",
                    onCycleRefused, loopRefusedByList);
            System.out.printf("legitimate: %d busy-list posts sent, %d distributed to the 50 members (%d distributions refused), "
                            + "member25 got %d; direct %d sent, %d delivered; %d submissions refused; %d legitimate recipients deferred/held "
                            + "(Postfix log)%n", busySent.get(), busyDistributed, busyRefusedByList, busyAtMember25, directSent.get(),
                    directDelivered, legitRefused.get(), legitRefusedInLog);
            if (!legitErrors.isEmpty()) {
                System.out.println("first legitimate refusal: " + legitErrors.get(0));
            }
            System.out.printf("RESULT %s cycle_messages=%d stopped=%s stop_s=%.1f legit_deferred_or_held=%d busy_distributions_refused=%d "
                            + "legit_submissions_refused=%d%n", label, cycleMessages, !(capped || timedOut), stopSeconds, legitRefusedInLog,
                    busyRefusedByList, legitRefused.get());
        } finally {
            lists.close();
            stack.stop();
        }
    }

    /** Copies the list sent takahashi plus replies that reached the list (the injected first post not counted). */
    private static int onCycle(TestListServer lists, int injected) {
        int toTakahashi = (int) lists.sent().stream().filter(s -> s.list().equals(LIST) && s.member().equals(TAKAHASHI)).count();
        int replies = (int) lists.received().stream().filter(p -> p.list().equals(LIST)).count() - injected - 1;
        return toTakahashi + Math.max(0, replies);
    }

    private static boolean send(MailStack stack, String from, String to, String raw, List<String> errors) {
        try {
            stack.send(from, to, raw);
            return true;
        } catch (IOException e) {
            errors.add(from + " -> " + to + ": " + e.getMessage());
            return false;
        }
    }

    /** Recipients Postfix refused with 4xx or held, on the cycle's edges or not. */
    static Map<String, Integer> refusedInLog(Path log) throws IOException {
        Map<String, Integer> out = new HashMap<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            Matcher m = REFUSED.matcher(line);
            if (m.find()) {
                String from = m.group(3).toLowerCase(java.util.Locale.ROOT);
                String to = m.group(4).toLowerCase(java.util.Locale.ROOT);
                boolean cycle = to.equals(LIST) || (to.equals(TAKAHASHI) && from.startsWith("test-ml"));
                out.merge(cycle ? "cycle" : "legit", 1, Integer::sum);
            }
        }
        return out;
    }

    private static int count(List<String> messages, String text) {
        return (int) messages.stream().filter(m -> m.contains(text)).count();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
