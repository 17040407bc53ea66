package com.mailgov.push.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Interim {@link SieveInspector}: reads a script's tokens (RFC 5228 §2: comments, quoted and
 * multi-line strings, identifiers, tags) and reports the commands in command position. It is
 * replaced by the project's Sieve parser ({@code com.mailgov.sieve}) once that is in; anything it
 * cannot read is reported as a problem, which holds mailgov's vacation rather than guessing.
 */
final class SieveTokens implements SieveInspector {

    @Override
    public Inspection inspect(String script) {
        List<String> tokens;
        try {
            tokens = tokens(script);
        } catch (IllegalArgumentException e) {
            return Inspection.unreadable(e.getMessage());
        }
        TreeSet<String> responders = new TreeSet<>();
        List<String> personal = new ArrayList<>();
        List<String> global = new ArrayList<>();
        boolean commandPosition = true;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (commandPosition && isIdentifier(t)) {
                String command = t.toLowerCase(Locale.ROOT);
                if (RESPONDER_ACTIONS.contains(command)) {
                    responders.add(command);
                } else if ("include".equals(command)) {
                    boolean isGlobal = false;
                    int j = i + 1;
                    for (; j < tokens.size() && tokens.get(j).startsWith(":"); j++) {
                        isGlobal |= ":global".equalsIgnoreCase(tokens.get(j));
                    }
                    if (j < tokens.size() && tokens.get(j).startsWith("\"")) {
                        (isGlobal ? global : personal).add(tokens.get(j).substring(1));
                    }
                }
            }
            commandPosition = t.equals(";") || t.equals("{") || t.equals("}");
        }
        return new Inspection(List.copyOf(responders), personal, global, null);
    }

    private static boolean isIdentifier(String t) {
        char c = t.charAt(0);
        return Character.isLetter(c) || c == '_';
    }

    /** Tokens; a string token is {@code "} followed by its decoded value. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated comment");
                }
                i = end + 2;
            } else if (c == '"') {
                StringBuilder v = new StringBuilder("\"");
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated string");
                    }
                    char d = s.charAt(i++);
                    if (d == '\\' && i < n) {
                        v.append(s.charAt(i++));
                    } else if (d == '"') {
                        break;
                    } else {
                        v.append(d);
                    }
                }
                out.add(v.toString());
            } else if (s.regionMatches(true, i, "text:", 0, 5)) {
                int eol = s.indexOf('\n', i);
                if (eol < 0) {
                    throw new IllegalArgumentException("text: without its lines");
                }
                int pos = eol + 1;
                StringBuilder v = new StringBuilder("\"");
                while (true) {
                    if (pos >= n) {
                        throw new IllegalArgumentException("unterminated text: block");
                    }
                    int end = s.indexOf('\n', pos);
                    String line = (end < 0 ? s.substring(pos) : s.substring(pos, end)).replace("\r", "");
                    pos = end < 0 ? n : end + 1;
                    if (line.equals(".")) {
                        break;
                    }
                    v.append(line.startsWith("..") ? line.substring(1) : line).append('\n');
                }
                out.add(v.toString());
                i = pos;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i++;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) {
                    i++;
                }
                out.add(s.substring(start, i));
            } else if (Character.isDigit(c)) {
                int start = i++;
                while (i < n && (Character.isDigit(s.charAt(i)) || "KMGkmg".indexOf(s.charAt(i)) >= 0)) {
                    i++;
                }
                out.add(s.substring(start, i));
            } else if ("[](){};,".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else {
                throw new IllegalArgumentException("unexpected character '" + c + "'");
            }
        }
        return out;
    }
}
