package com.mailgov.directory.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records: fields separated by commas, quoted with {@code "} (a doubled quote inside is
 * one quote; quoted fields may hold commas and line breaks), lines ending in CRLF or LF. Each
 * record remembers the line it starts on, so errors can say where to look.
 */
public final class CsvRecords {

    private CsvRecords() {
    }

    public record Row(int line, List<String> fields) {
        public boolean blank() {
            return fields.stream().allMatch(String::isEmpty);
        }
    }

    /** Thrown for text that is not CSV (a quote left open). */
    public static final class Malformed extends RuntimeException {
        public final int line;

        Malformed(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    public static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int start = 1;
        boolean quoted = false;
        boolean wasQuoted = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"') {
                if (field.length() > 0 || wasQuoted) {
                    throw new Malformed(line, "a quote inside an unquoted field; quote the whole field and double the quote");
                }
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                rows.add(new Row(start, List.copyOf(fields)));
                fields.clear();
                field.setLength(0);
                wasQuoted = false;
                line++;
                start = line;
            } else {
                if (wasQuoted) {
                    throw new Malformed(line, "text after a closing quote; quote the whole field and double the quote");
                }
                field.append(c);
            }
        }
        if (quoted) {
            throw new Malformed(start, "a quoted field is never closed");
        }
        if (field.length() > 0 || !fields.isEmpty() || wasQuoted) {
            fields.add(field.toString());
            rows.add(new Row(start, List.copyOf(fields)));
        }
        return rows;
    }
}
