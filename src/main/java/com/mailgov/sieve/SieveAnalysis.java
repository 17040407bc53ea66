package com.mailgov.sieve;

import com.mailgov.sieve.SieveNode.Argument;
import com.mailgov.sieve.SieveNode.Command;
import com.mailgov.sieve.SieveNode.Number;
import com.mailgov.sieve.SieveNode.Script;
import com.mailgov.sieve.SieveNode.Strings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a Sieve script does, read from its syntax tree rather than its text: the responders it
 * holds (vacation, notify/enotify, redirect, reject/ereject), the scripts it includes and the plain
 * filter actions. A script that does not compile is reported with Pigeonhole's kind of error and no
 * responders: Dovecot does not run a script it cannot compile (it keeps the message instead).
 *
 * @param parses    whether Pigeonhole would compile the script (syntax and validation)
 * @param error     the first error (with line) when it does not
 * @param responders actions that send mail
 * @param includes  {@code include} targets, as {@code :personal name} / {@code :global name}
 * @param filters   the other actions by name (fileinto, keep, discard, addflag, …), each once
 * @param requires  the capabilities the script requires
 */
public record SieveAnalysis(boolean parses, String error, List<Responder> responders, List<String> includes,
                            List<String> filters, List<String> requires) {

    /** Longest script analysed (Pigeonhole's default {@code sieve_max_script_size} is 1M). */
    public static final int MAX_SCRIPT_CHARS = 1 << 20;

    public static SieveAnalysis of(String script) {
        return of(script, SieveValidator.PIGEONHOLE_CAPABILITIES);
    }

    public static SieveAnalysis of(String script, Set<String> offeredCapabilities) {
        if (script == null) {
            return new SieveAnalysis(false, "no script", List.of(), List.of(), List.of(), List.of());
        }
        if (script.length() > MAX_SCRIPT_CHARS) {
            return new SieveAnalysis(false, "script larger than " + MAX_SCRIPT_CHARS + " characters", List.of(), List.of(),
                    List.of(), List.of());
        }
        Script tree;
        try {
            tree = SieveParser.parse(script);
            SieveValidator.validate(tree, offeredCapabilities);
        } catch (SieveSyntaxException e) {
            return new SieveAnalysis(false, e.getMessage(), List.of(), List.of(), List.of(), List.of());
        }
        Walker w = new Walker();
        w.walk(tree.commands(), false);
        return new SieveAnalysis(true, null, List.copyOf(w.responders), List.copyOf(w.includes),
                List.copyOf(w.filters), List.copyOf(w.requires));
    }

    public boolean hasResponder() {
        return !responders.isEmpty();
    }

    private static final class Walker {
        final List<Responder> responders = new ArrayList<>();
        final Set<String> includes = new LinkedHashSet<>();
        final Set<String> filters = new LinkedHashSet<>();
        final Set<String> requires = new LinkedHashSet<>();

        void walk(List<Command> commands, boolean conditional) {
            for (Command c : commands) {
                String name = c.name().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "require" -> c.arguments().forEach(a -> {
                        if (a instanceof Strings s) {
                            s.values().forEach(v -> requires.add(v.toLowerCase(Locale.ROOT)));
                        }
                    });
                    case "if", "elsif" -> walk(c.block(), true);
                    case "else" -> walk(c.block(), true);
                    case "vacation" -> responders.add(new Responder(Responder.Kind.VACATION, c.line(), null,
                            interval(c), strings(c.tagValue("addresses")), string(c.tagValue("from")), conditional));
                    case "notify" -> responders.add(new Responder(Responder.Kind.NOTIFY, c.line(), notifyTarget(c), null,
                            List.of(), string(c.tagValue("from")), conditional));
                    case "redirect" -> responders.add(new Responder(Responder.Kind.REDIRECT, c.line(),
                            lastString(c), null, List.of(), null, conditional));
                    case "reject" -> responders.add(new Responder(Responder.Kind.REJECT, c.line(), null, null, List.of(), null, conditional));
                    case "ereject" -> responders.add(new Responder(Responder.Kind.EREJECT, c.line(), null, null, List.of(), null, conditional));
                    case "include" -> includes.add((c.hasTag("global") ? ":global " : ":personal ") + lastString(c));
                    default -> filters.add(name);
                }
            }
        }

        private static Long interval(Command c) {
            if (c.tagValue("seconds") instanceof Number n) {
                return n.value();
            }
            if (c.tagValue("days") instanceof Number n) {
                return n.value() * 86_400;
            }
            return null;
        }

        /**
         * enotify: the positional method; old draft: {@code :method "mailto:x"} or
         * {@code :method "mailto" :options "x"}.
         */
        private static String notifyTarget(Command c) {
            String method = string(c.tagValue("method"));
            if (method != null) {
                List<String> options = strings(c.tagValue("options"));
                if (!method.contains(":") && !options.isEmpty()) {
                    return method + ":" + String.join(",", options);
                }
                return method;
            }
            return lastString(c);
        }

        /** The last positional string (the target of redirect/notify/include/reject). */
        private static String lastString(Command c) {
            String out = null;
            List<Argument> args = c.arguments();
            for (int i = 0; i < args.size(); i++) {
                Argument a = args.get(i);
                if (a instanceof SieveNode.Tag) {
                    String tag = ((SieveNode.Tag) a).name();
                    if (Set.of("from", "importance", "options", "message", "method", "id", "list").contains(tag)) {
                        i++;
                    }
                } else if (a instanceof Strings s && !s.list()) {
                    out = s.first();
                }
            }
            return out;
        }

        private static String string(Argument a) {
            return a instanceof Strings s ? s.first() : null;
        }

        private static List<String> strings(Argument a) {
            return a instanceof Strings s ? s.values() : List.of();
        }
    }
}
