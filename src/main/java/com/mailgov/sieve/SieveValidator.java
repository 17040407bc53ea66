package com.mailgov.sieve;

import com.mailgov.sieve.SieveNode.Argument;
import com.mailgov.sieve.SieveNode.Command;
import com.mailgov.sieve.SieveNode.Number;
import com.mailgov.sieve.SieveNode.Script;
import com.mailgov.sieve.SieveNode.Strings;
import com.mailgov.sieve.SieveNode.Tag;
import com.mailgov.sieve.SieveNode.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks Pigeonhole makes after parsing that decide whether a script compiles: {@code require}
 * first and only of capabilities the server offers, commands and tests only from required
 * extensions, known tags, the right number and type of arguments, {@code elsif}/{@code else} only
 * after {@code if}. Extensions it does not model are accepted with any arguments once required, so
 * a script is never called broken for using something this class does not know.
 */
public final class SieveValidator {

    /**
     * Capabilities Pigeonhole 0.5 knows; what a server offers is its configuration
     * ({@code sieve_extensions}). The default adds the deprecated {@code notify} and
     * {@code vacation-seconds}, which hand-made responders use and servers enable.
     */
    public static final Set<String> PIGEONHOLE_CAPABILITIES = Set.of(
            "fileinto", "reject", "envelope", "encoded-character", "vacation", "subaddress",
            "comparator-i;ascii-numeric", "comparator-i;ascii-casemap", "comparator-i;octet", "relational", "regex",
            "imap4flags", "copy", "include", "body", "variables", "enotify", "environment", "mailbox", "date", "index",
            "ihave", "duplicate", "mime", "foreverypart", "extracttext", "editheader", "vnd.dovecot.debug",
            "notify", "vacation-seconds", "spamtest", "spamtestplus", "virustest", "imapflags", "special-use",
            "mboxmetadata", "servermetadata", "vnd.dovecot.pipe", "vnd.dovecot.filter", "vnd.dovecot.execute",
            "vnd.dovecot.environment", "vnd.dovecot.report", "imapsieve");

    /** A command or test signature: the extension that brings it, tags (with value kind), positional kinds. */
    private record Sig(String extension, Map<String, Character> tags, String positional, String optional) {
    }

    private static final Map<String, Character> MATCH = Map.of("is", '-', "contains", '-', "matches", '-',
            "comparator", 's', "regex", '-', "value", 's', "count", 's');
    private static final Map<String, Character> ADDRESS_MATCH = merge(MATCH, Map.of("localpart", '-', "domain", '-',
            "all", '-', "user", '-', "detail", '-', "index", 'n', "last", '-'));

    // positional kinds: s = string, l = string list (a single string counts), n = number, t = test(s)
    private static final Map<String, Sig> COMMANDS = new HashMap<>();
    private static final Map<String, Sig> TESTS = new HashMap<>();

    static {
        COMMANDS.put("keep", new Sig(null, Map.of("flags", 'l'), "", ""));
        COMMANDS.put("discard", new Sig(null, Map.of(), "", ""));
        COMMANDS.put("stop", new Sig(null, Map.of(), "", ""));
        COMMANDS.put("redirect", new Sig(null, Map.of("copy", '-', "list", 's'), "s", ""));
        COMMANDS.put("fileinto", new Sig("fileinto", Map.of("copy", '-', "flags", 'l', "create", '-', "specialuse", 's'), "s", ""));
        COMMANDS.put("reject", new Sig("reject", Map.of(), "s", ""));
        COMMANDS.put("ereject", new Sig("ereject", Map.of(), "s", ""));
        COMMANDS.put("vacation", new Sig("vacation", Map.of("days", 'n', "seconds", 'n', "subject", 's', "from", 's',
                "addresses", 'l', "mime", '-', "handle", 's'), "s", ""));
        COMMANDS.put("include", new Sig("include", Map.of("personal", '-', "global", '-', "once", '-', "optional", '-'), "s", ""));
        COMMANDS.put("return", new Sig("include", Map.of(), "", ""));
        COMMANDS.put("set", new Sig("variables", Map.of("lower", '-', "upper", '-', "lowerfirst", '-', "upperfirst", '-',
                "quotewildcard", '-', "quoteregex", '-', "length", '-', "encodeurl", '-'), "ss", ""));
        COMMANDS.put("addflag", new Sig("imap4flags", Map.of(), "l", "l"));
        COMMANDS.put("setflag", new Sig("imap4flags", Map.of(), "l", "l"));
        COMMANDS.put("removeflag", new Sig("imap4flags", Map.of(), "l", "l"));
        COMMANDS.put("addheader", new Sig("editheader", Map.of("last", '-'), "ss", ""));
        COMMANDS.put("deleteheader", new Sig("editheader", merge(MATCH, Map.of("index", 'n', "last", '-')), "s", "l"));
        COMMANDS.put("debug_log", new Sig("vnd.dovecot.debug", Map.of(), "s", ""));

        TESTS.put("true", new Sig(null, Map.of(), "", ""));
        TESTS.put("false", new Sig(null, Map.of(), "", ""));
        TESTS.put("not", new Sig(null, Map.of(), "t", ""));
        TESTS.put("anyof", new Sig(null, Map.of(), "T", ""));
        TESTS.put("allof", new Sig(null, Map.of(), "T", ""));
        TESTS.put("exists", new Sig(null, Map.of(), "l", ""));
        TESTS.put("size", new Sig(null, Map.of("over", '-', "under", '-'), "n", ""));
        TESTS.put("header", new Sig(null, merge(MATCH, Map.of("mime", '-', "anychild", '-', "index", 'n', "last", '-')), "ll", ""));
        TESTS.put("address", new Sig(null, merge(ADDRESS_MATCH, Map.of("mime", '-', "anychild", '-')), "ll", ""));
        TESTS.put("envelope", new Sig("envelope", ADDRESS_MATCH, "ll", ""));
        TESTS.put("body", new Sig("body", merge(MATCH, Map.of("raw", '-', "content", 'l', "text", '-')), "l", ""));
        TESTS.put("date", new Sig("date", merge(MATCH, Map.of("zone", 's', "originalzone", '-', "index", 'n', "last", '-')), "ssl", ""));
        TESTS.put("currentdate", new Sig("date", merge(MATCH, Map.of("zone", 's')), "sl", ""));
        TESTS.put("string", new Sig("variables", MATCH, "ll", ""));
        TESTS.put("hasflag", new Sig("imap4flags", MATCH, "l", "l"));
        TESTS.put("mailboxexists", new Sig("mailbox", Map.of(), "l", ""));
        TESTS.put("valid_notify_method", new Sig("enotify", Map.of(), "l", ""));
        TESTS.put("notify_method_capability", new Sig("enotify", MATCH, "ssl", ""));
        TESTS.put("duplicate", new Sig("duplicate", Map.of("handle", 's', "header", 's', "uniqueid", 's', "seconds", 'n', "last", '-'), "", ""));
        TESTS.put("environment", new Sig("environment", MATCH, "sl", ""));
        TESTS.put("ihave", new Sig("ihave", Map.of(), "l", ""));
    }

    /** The old draft's notify (Pigeonhole's deprecated {@code notify} extension). */
    private static final Sig OLD_NOTIFY = new Sig("notify", merge(Map.of("method", 's', "id", 's', "options", 'l',
            "message", 's', "low", '-', "normal", '-', "high", '-'), MATCH), "", "");

    private final Set<String> offered;
    private Set<String> required;

    private SieveValidator(Set<String> offered) {
        this.offered = offered;
    }

    public static void validate(Script script) throws SieveSyntaxException {
        validate(script, PIGEONHOLE_CAPABILITIES);
    }

    public static void validate(Script script, Set<String> offeredCapabilities) throws SieveSyntaxException {
        SieveValidator v = new SieveValidator(offeredCapabilities);
        v.required = new HashSet<>();
        boolean requiresAllowed = true;
        for (Command c : script.commands()) {
            if (c.name().equalsIgnoreCase("require")) {
                if (!requiresAllowed) {
                    throw new SieveSyntaxException(c.line(), "require command: can only be placed at the beginning of the script");
                }
                v.require(c);
            } else {
                requiresAllowed = false;
            }
        }
        if (v.required.contains("notify") && v.required.contains("enotify")) {
            throw new SieveSyntaxException(1, "the (deprecated) notify extension cannot be used together with the enotify extension");
        }
        v.block(script.commands(), true);
    }

    private void require(Command c) throws SieveSyntaxException {
        if (c.arguments().size() != 1 || !(c.arguments().get(0) instanceof Strings s) || !c.tests().isEmpty() || c.block() != null) {
            throw new SieveSyntaxException(c.line(), "require command: expects one string list argument");
        }
        for (String cap : s.values()) {
            String name = cap.toLowerCase(Locale.ROOT);
            if (!offered.contains(name)) {
                throw new SieveSyntaxException(c.line(), "require command: unknown Sieve capability `" + cap + "'");
            }
            required.add(name);
        }
    }

    private void block(List<Command> commands, boolean top) throws SieveSyntaxException {
        String previous = null;
        for (Command c : commands) {
            String name = c.name().toLowerCase(Locale.ROOT);
            switch (name) {
                case "require" -> {
                    if (!top) {
                        throw new SieveSyntaxException(c.line(), "require command: can only be placed at top level");
                    }
                }
                case "if", "elsif", "else" -> {
                    if (!name.equals("if") && !("if".equals(previous) || "elsif".equals(previous))) {
                        throw new SieveSyntaxException(c.line(), name + " command: must follow an if or elsif command");
                    }
                    if (c.block() == null) {
                        throw new SieveSyntaxException(c.line(), name + " command: expects a block");
                    }
                    if (!c.arguments().isEmpty()) {
                        throw new SieveSyntaxException(c.line(), name + " command: unexpected argument");
                    }
                    if (name.equals("else") ? !c.tests().isEmpty() : c.tests().size() != 1) {
                        throw new SieveSyntaxException(c.line(), name + " command: "
                                + (name.equals("else") ? "expects no test" : "expects exactly one test"));
                    }
                    for (Test t : c.tests()) {
                        test(t);
                    }
                    block(c.block(), false);
                }
                default -> command(c, name);
            }
            previous = name;
        }
    }

    private void command(Command c, String name) throws SieveSyntaxException {
        if (c.block() != null) {
            throw new SieveSyntaxException(c.line(), name + " command: does not take a block");
        }
        if (name.equals("notify") || name.equals("denotify")) {
            notify(c, name);
            return;
        }
        Sig sig = COMMANDS.get(name);
        if (sig == null || (sig.extension() != null && !required.contains(sig.extension()))) {
            if (sig == null && isFromUnmodelledExtension()) {
                return;
            }
            throw new SieveSyntaxException(c.line(), "unknown command '" + c.name() + "' (only valid in Sieve with the extension required)");
        }
        if (name.equals("vacation") && c.hasTag("seconds") && !required.contains("vacation-seconds")) {
            throw new SieveSyntaxException(c.line(), "vacation command: unknown tagged argument ':seconds'");
        }
        if (!c.tests().isEmpty()) {
            throw new SieveSyntaxException(c.line(), name + " command: unexpected test");
        }
        arguments(name + " command", c.line(), sig, c.arguments(), List.of());
    }

    /** enotify (RFC 5435) {@code notify [tags] method} or the old draft {@code notify :method "…"} (Pigeonhole's deprecated notify). */
    private void notify(Command c, String name) throws SieveSyntaxException {
        if (required.contains("enotify") && name.equals("notify")) {
            arguments("notify command", c.line(), new Sig("enotify", Map.of("from", 's', "importance", 's', "options", 'l',
                    "message", 's'), "s", ""), c.arguments(), c.tests());
        } else if (required.contains("notify")) {
            arguments(name + " command", c.line(), OLD_NOTIFY, c.arguments(), c.tests());
            String method = c.tagValue("method") instanceof Strings s ? s.first() : null;
            if (method != null && !method.equalsIgnoreCase("mailto")) {
                throw new SieveSyntaxException(c.line(), "the notify command of the deprecated notify extension only supports"
                        + " the 'mailto' notification method");
            }
        } else {
            throw new SieveSyntaxException(c.line(), "unknown command '" + c.name() + "' (only valid in Sieve with the extension required)");
        }
    }

    private void test(Test t) throws SieveSyntaxException {
        String name = t.name().toLowerCase(Locale.ROOT);
        Sig sig = TESTS.get(name);
        if (sig == null || (sig.extension() != null && !required.contains(sig.extension()))) {
            if (sig == null && isFromUnmodelledExtension()) {
                for (Test sub : t.tests()) {
                    test(sub);
                }
                return;
            }
            throw new SieveSyntaxException(t.line(), "unknown test '" + t.name() + "' (only valid in Sieve with the extension required)");
        }
        arguments(name + " test", t.line(), sig, t.arguments(), t.tests());
        for (Test sub : t.tests()) {
            test(sub);
        }
    }

    /** A script that required an extension this class does not model may use its commands. */
    private boolean isFromUnmodelledExtension() {
        for (String r : required) {
            if (!MODELLED.contains(r)) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> MODELLED = Set.of("fileinto", "reject", "ereject", "envelope", "encoded-character",
            "vacation", "vacation-seconds", "subaddress", "comparator-i;ascii-numeric", "comparator-i;ascii-casemap",
            "comparator-i;octet", "relational", "regex", "imap4flags", "copy", "include", "body", "variables", "enotify",
            "notify", "mailbox", "date", "editheader", "environment", "ihave", "duplicate", "vnd.dovecot.debug", "index");

    private void arguments(String what, int line, Sig sig, List<Argument> args, List<Test> tests) throws SieveSyntaxException {
        int positional = 0;
        String kinds = sig.positional() + sig.optional();
        for (int i = 0; i < args.size(); i++) {
            Argument a = args.get(i);
            if (a instanceof Tag tag) {
                Character valueKind = sig.tags().get(tag.name());
                if (valueKind == null || !tagAllowed(tag.name())) {
                    throw new SieveSyntaxException(tag.line(), what + ": unknown tagged argument ':" + tag.name() + "'");
                }
                if (valueKind != '-') {
                    if (i + 1 >= args.size() || !fits(args.get(i + 1), valueKind)) {
                        throw new SieveSyntaxException(tag.line(), what + ": the :" + tag.name() + " tag expects a "
                                + kindName(valueKind) + " argument");
                    }
                    i++;
                }
                continue;
            }
            if (positional >= kinds.length() || kinds.charAt(positional) == 't' || kinds.charAt(positional) == 'T') {
                throw new SieveSyntaxException(line, what + ": too many arguments");
            }
            if (!fits(a, kinds.charAt(positional))) {
                throw new SieveSyntaxException(line, what + ": argument " + (positional + 1) + " must be a "
                        + kindName(kinds.charAt(positional)));
            }
            positional++;
        }
        String required = sig.positional().replace("t", "").replace("T", "");
        if (positional < required.length()) {
            throw new SieveSyntaxException(line, what + ": expects " + required.length() + " argument(s), found " + positional);
        }
        boolean wantsTest = sig.positional().contains("t") || sig.positional().contains("T");
        if (wantsTest && tests.isEmpty()) {
            throw new SieveSyntaxException(line, what + ": expects a test");
        }
        if (sig.positional().contains("t") && tests.size() != 1) {
            throw new SieveSyntaxException(line, what + ": expects exactly one test");
        }
        if (!wantsTest && !tests.isEmpty()) {
            throw new SieveSyntaxException(line, what + ": unexpected test");
        }
    }

    /** Tags that belong to an extension are unknown until it is required. */
    private boolean tagAllowed(String tag) {
        return switch (tag) {
            case "regex" -> required.contains("regex");
            case "value", "count" -> required.contains("relational");
            case "user", "detail" -> required.contains("subaddress");
            case "copy" -> required.contains("copy");
            case "flags" -> required.contains("imap4flags");
            case "create" -> required.contains("mailbox");
            case "mime", "anychild" -> required.contains("mime") || required.contains("vacation");
            case "index", "last" -> required.contains("index") || required.contains("editheader");
            case "list" -> required.contains("extlists");
            case "specialuse" -> required.contains("special-use");
            default -> true;
        };
    }

    private static boolean fits(Argument a, char kind) {
        return switch (kind) {
            case 's' -> a instanceof Strings s && !s.list();
            case 'l' -> a instanceof Strings;
            case 'n' -> a instanceof Number;
            default -> false;
        };
    }

    private static String kindName(char kind) {
        return switch (kind) {
            case 's' -> "string";
            case 'l' -> "string list";
            case 'n' -> "number";
            default -> "test";
        };
    }

    @SafeVarargs
    private static Map<String, Character> merge(Map<String, Character>... maps) {
        Map<String, Character> out = new HashMap<>();
        for (Map<String, Character> m : maps) {
            out.putAll(m);
        }
        return Map.copyOf(out);
    }
}
