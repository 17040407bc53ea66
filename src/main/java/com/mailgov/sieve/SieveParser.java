package com.mailgov.sieve;

import com.mailgov.sieve.SieveNode.Argument;
import com.mailgov.sieve.SieveNode.Command;
import com.mailgov.sieve.SieveNode.Number;
import com.mailgov.sieve.SieveNode.Script;
import com.mailgov.sieve.SieveNode.Strings;
import com.mailgov.sieve.SieveNode.Tag;
import com.mailgov.sieve.SieveNode.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the Sieve grammar of RFC 5228 §8 (the grammar is small and fixed;
 * extensions only add identifiers). Accepts what Pigeonhole accepts at the syntax level: LF or
 * CRLF line ends, {@code #} and {@code /* *\/} comments, {@code text:} multi-line strings with
 * dot-stuffing, string lists, tagged arguments and K/M/G quantifiers. Whether the commands and
 * their arguments are valid is {@link SieveValidator}'s job.
 */
public final class SieveParser {

    /** Deepest nesting of blocks/tests accepted; keeps a hostile script from exhausting the stack. */
    static final int MAX_DEPTH = 64;

    private final String src;
    private int pos;
    private int line = 1;
    private int depth;

    private SieveParser(String src) {
        this.src = src;
    }

    public static Script parse(String script) throws SieveSyntaxException {
        SieveParser p = new SieveParser(script);
        List<Command> commands = p.commands(false);
        return new Script(commands);
    }

    private List<Command> commands(boolean inBlock) throws SieveSyntaxException {
        List<Command> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (eof()) {
                if (inBlock) {
                    throw error("unexpected end of script: missing '}'");
                }
                return out;
            }
            if (peek() == '}') {
                if (!inBlock) {
                    throw error("unexpected '}'");
                }
                return out;
            }
            out.add(command());
        }
    }

    private Command command() throws SieveSyntaxException {
        int at = line;
        String name = identifier("command");
        List<Argument> args = new ArrayList<>();
        List<Test> tests = new ArrayList<>();
        arguments(args, tests);
        skipSpace();
        if (eof()) {
            throw error("unexpected end of script after command '" + name + "': missing ';'");
        }
        char c = peek();
        if (c == ';') {
            pos++;
            return new Command(name, List.copyOf(args), List.copyOf(tests), null, at);
        }
        if (c == '{') {
            pos++;
            enter();
            List<Command> block = commands(true);
            depth--;
            pos++; // '}'
            return new Command(name, List.copyOf(args), List.copyOf(tests), List.copyOf(block), at);
        }
        throw error("expected ';' or '{' after command '" + name + "' but found " + describe(c));
    }

    /** Arguments, then an optional test or test list. */
    private void arguments(List<Argument> args, List<Test> tests) throws SieveSyntaxException {
        while (true) {
            skipSpace();
            if (eof()) {
                return;
            }
            char c = peek();
            if (c == ':') {
                int at = line;
                pos++;
                args.add(new Tag(identifier("tag").toLowerCase(), at));
            } else if (isDigit(c)) {
                args.add(number());
            } else if (c == '"' || c == '[' || startsText()) {
                args.add(stringList());
            } else {
                break;
            }
        }
        skipSpace();
        if (eof()) {
            return;
        }
        char c = peek();
        if (c == '(') {
            pos++;
            enter();
            do {
                tests.add(test());
                skipSpace();
                if (eof()) {
                    throw error("unexpected end of script in test list: missing ')'");
                }
                c = peek();
                if (c == ',') {
                    pos++;
                } else if (c != ')') {
                    throw error("expected ',' or ')' in test list but found " + describe(c));
                }
            } while (c == ',');
            pos++;
            depth--;
        } else if (isIdentStart(c)) {
            enter();
            tests.add(test());
            depth--;
        }
    }

    private Test test() throws SieveSyntaxException {
        skipSpace();
        int at = line;
        String name = identifier("test");
        List<Argument> args = new ArrayList<>();
        List<Test> tests = new ArrayList<>();
        arguments(args, tests);
        return new Test(name, List.copyOf(args), List.copyOf(tests), at);
    }

    private Argument stringList() throws SieveSyntaxException {
        int at = line;
        if (peek() == '[') {
            pos++;
            List<String> values = new ArrayList<>();
            while (true) {
                skipSpace();
                if (eof()) {
                    throw error("unexpected end of script in string list: missing ']'");
                }
                values.add(string());
                skipSpace();
                if (eof()) {
                    throw error("unexpected end of script in string list: missing ']'");
                }
                char c = peek();
                pos++;
                if (c == ']') {
                    return new Strings(List.copyOf(values), true, at);
                }
                if (c != ',') {
                    throw error("expected ',' or ']' in string list but found " + describe(c));
                }
            }
        }
        return new Strings(List.of(string()), false, at);
    }

    private String string() throws SieveSyntaxException {
        if (peek() == '"') {
            return quoted();
        }
        if (startsText()) {
            return multiLine();
        }
        throw error("expected a string but found " + describe(peek()));
    }

    private String quoted() throws SieveSyntaxException {
        int start = line;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (!eof()) {
            char c = src.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (eof()) {
                    break;
                }
                c = src.charAt(pos++);
            }
            if (c == '\n') {
                line++;
            }
            sb.append(c);
        }
        throw new SieveSyntaxException(start, "unterminated string");
    }

    private boolean startsText() {
        return src.regionMatches(true, pos, "text:", 0, 5);
    }

    /** {@code text:} [spaces] (hash-comment / newline) lines "." newline; ".." at a line start is one dot. */
    private String multiLine() throws SieveSyntaxException {
        int start = line;
        pos += 5;
        while (!eof() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
        if (!eof() && peek() == '#') {
            while (!eof() && peek() != '\n') {
                pos++;
            }
        } else if (!eof() && peek() == '\r' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
            pos++;
        }
        if (eof() || peek() != '\n') {
            throw error("text: must be followed by a line break");
        }
        pos++;
        line++;
        StringBuilder sb = new StringBuilder();
        while (!eof()) {
            int end = src.indexOf('\n', pos);
            String raw = end < 0 ? src.substring(pos) : src.substring(pos, end);
            String l = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            pos = end < 0 ? src.length() : end + 1;
            if (end >= 0) {
                line++;
            }
            if (l.equals(".")) {
                if (end < 0) {
                    throw new SieveSyntaxException(line, "text: block must end with '.' and a line break");
                }
                return sb.toString();
            }
            sb.append(l.startsWith(".") ? l.substring(1) : l);
            if (end >= 0) {
                sb.append("\r\n");
            }
        }
        throw new SieveSyntaxException(start, "unterminated text: block (no line with a single '.')");
    }

    private Number number() throws SieveSyntaxException {
        int at = line;
        int start = pos;
        while (!eof() && isDigit(peek())) {
            pos++;
        }
        long value;
        try {
            value = Long.parseLong(src.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("number too large");
        }
        if (!eof()) {
            char q = Character.toUpperCase(peek());
            long factor = q == 'K' ? 1L << 10 : q == 'M' ? 1L << 20 : q == 'G' ? 1L << 30 : 1;
            if (factor > 1) {
                pos++;
                value *= factor;
            }
        }
        if (value > 0xFFFFFFFFL || value < 0) {
            throw new SieveSyntaxException(at, "number too large");
        }
        if (!eof() && isIdentStart(peek())) {
            throw error("unexpected character after number: " + describe(peek()));
        }
        return new Number(value, at);
    }

    private String identifier(String what) throws SieveSyntaxException {
        if (eof()) {
            throw error("unexpected end of script: expected a " + what);
        }
        if (!isIdentStart(peek())) {
            throw error("expected a " + what + " identifier but found " + describe(peek()));
        }
        int start = pos;
        while (!eof() && (isIdentStart(peek()) || isDigit(peek()))) {
            pos++;
        }
        return src.substring(start, pos);
    }

    /** Skips white space, {@code #} comments and bracket comments. */
    private void skipSpace() throws SieveSyntaxException {
        while (!eof()) {
            char c = peek();
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (!eof() && peek() != '\n') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '*') {
                int start = line;
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new SieveSyntaxException(start, "unterminated comment");
                }
                for (int i = pos; i < end; i++) {
                    if (src.charAt(i) == '\n') {
                        line++;
                    }
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private void enter() throws SieveSyntaxException {
        if (++depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
    }

    private boolean eof() {
        return pos >= src.length();
    }

    private char peek() {
        return src.charAt(pos);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static String describe(char c) {
        return c < 0x20 ? String.format("character 0x%02x", (int) c) : "'" + c + "'";
    }

    private SieveSyntaxException error(String message) {
        return new SieveSyntaxException(line, message);
    }
}
