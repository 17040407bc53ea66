package com.mailgov.web;

import java.text.Normalizer;

/** Checks and normalises free text from requests (NFC, CRLF → LF, no hidden control characters). */
public final class Texts {

    private Texts() {
    }

    /** One line of text, e.g. for a mail header or a title: no CR, LF, NUL or other controls. */
    public static String singleLine(String raw, String field, int max, boolean required, FieldErrors errors) {
        if (raw == null || raw.isBlank()) {
            if (required) {
                errors.add(field, "is required");
            }
            return null;
        }
        String text = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\0') >= 0) {
            errors.add(field, "must not contain CR, LF or NUL (it is a single line, and may end up in a mail header)");
            return null;
        }
        return checked(text, field, max, false, errors);
    }

    /** Lines of text: LF and TAB are fine, NUL and other controls are not. */
    public static String multiLine(String raw, String field, int max, boolean required, FieldErrors errors) {
        if (raw == null || raw.isBlank()) {
            if (required) {
                errors.add(field, "is required");
            }
            return null;
        }
        String text = Normalizer.normalize(raw.replace("\r\n", "\n").replace('\r', '\n'), Normalizer.Form.NFC);
        if (text.indexOf('\0') >= 0) {
            errors.add(field, "must not contain NUL");
            return null;
        }
        return checked(text, field, max, true, errors);
    }

    private static String checked(String text, String field, int max, boolean lines, FieldErrors errors) {
        if (text.codePoints().anyMatch(c -> !(lines && (c == '\n' || c == '\t')) && isForbidden(c))) {
            errors.add(field, "must not contain control or bidirectional-override characters");
            return null;
        }
        if (text.codePointCount(0, text.length()) > max) {
            errors.add(field, "must be at most " + max + " characters");
            return null;
        }
        return text;
    }

    private static boolean isForbidden(int c) {
        // C0/C1 controls, and the bidi overrides that can disguise text (the "Trojan Source" trick).
        return Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
