package com.mailgov.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * A keyset position in one list (directory objects, change requests, audit entries), handed to
 * clients as an opaque base64url token. Keyset rather than offset: rows added or removed while a
 * client pages do not shift the pages, so nothing unchanged is skipped or shown twice, and a page
 * costs the same at the end of 282k rows as at the start. A token that is not one of this list's
 * is a 400 {@code invalid-cursor} naming the field {@code cursor}.
 *
 * @param back    true: the page before this position ("previous"); false: the page after it
 * @param values  the sort key of the row at the position, as text
 */
public record Cursor(String list, boolean back, List<String> values) {

    public static final String FIELD = "cursor";
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final String VERSION = "1";
    private static final int MAX_TOKEN = 4096;

    public static Cursor after(String list, String... values) {
        return new Cursor(list, false, List.of(values));
    }

    public static Cursor before(String list, String... values) {
        return new Cursor(list, true, List.of(values));
    }

    /** The token: base64url of a small JSON array; opaque to clients. */
    public String token() {
        List<String> parts = new ArrayList<>(values.size() + 3);
        parts.add(VERSION);
        parts.add(list);
        parts.add(back ? "b" : "a");
        parts.addAll(values);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(PLAIN.writeValueAsBytes(parts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a token of {@code list} with {@code size} sort values; null when none was given. */
    public static Cursor read(String list, int size, String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        if (token.length() > MAX_TOKEN) {
            throw invalid();
        }
        List<String> parts;
        try {
            parts = PLAIN.readValue(Base64.getUrlDecoder().decode(token.strip()), new TypeReference<List<String>>() {
            });
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid();
        }
        if (parts == null || parts.size() != size + 3 || parts.contains(null) || !VERSION.equals(parts.get(0))
                || !list.equals(parts.get(1)) || !("a".equals(parts.get(2)) || "b".equals(parts.get(2)))) {
            throw invalid();
        }
        return new Cursor(list, "b".equals(parts.get(2)), List.copyOf(parts.subList(3, parts.size())));
    }

    public String text(int i) {
        return values.get(i);
    }

    public long number(int i) {
        return parsed(i, Long::parseLong);
    }

    public UUID uuid(int i) {
        return parsed(i, UUID::fromString);
    }

    /** An instant kept as microseconds since the epoch (PostgreSQL's precision). */
    public Instant micros(int i) {
        return parsed(i, v -> Instant.EPOCH.plus(Long.parseLong(v), ChronoUnit.MICROS));
    }

    public static String micros(Instant t) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, t));
    }

    private <T> T parsed(int i, Function<String, T> parse) {
        try {
            return parse.apply(values.get(i));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        String message = "is not a cursor of this list: pass back the next or previous value of an earlier page, or leave it out to start at the first page";
        return new ApiException(ProblemType.INVALID_CURSOR, FIELD + ": " + message,
                List.of(new Problem.FieldError(FIELD, message)), java.util.Map.of());
    }

    /**
     * One page of a keyset query. The query ran in the cursor's direction (reversed for
     * {@code back}) and fetched {@code limit + 1} rows, so one extra row tells whether more follow.
     *
     * @param next     position after the last row, or null at the end
     * @param previous position before the first row, or null at the start
     */
    public record Page<T>(List<T> items, T next, T previous) {

        public static <T> Page<T> of(List<T> fetched, int limit, Cursor cursor) {
            boolean more = fetched.size() > limit;
            List<T> rows = new ArrayList<>(more ? fetched.subList(0, limit) : fetched);
            boolean back = cursor != null && cursor.back();
            if (back) {
                Collections.reverse(rows);
            }
            T first = rows.isEmpty() ? null : rows.get(0);
            T last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
            T next = back ? last : more ? last : null;
            T previous = back ? (more ? first : null) : cursor == null ? null : first;
            return new Page<>(List.copyOf(rows), next, previous);
        }

        /** The token of {@link #next}, or null; {@code key} gives a row's sort values. */
        public String nextToken(String list, Function<T, String[]> key) {
            return next == null ? null : Cursor.after(list, key.apply(next)).token();
        }

        public String previousToken(String list, Function<T, String[]> key) {
            return previous == null ? null : Cursor.before(list, key.apply(previous)).token();
        }

        public <R> Page<R> map(Function<T, R> f) {
            return new Page<>(items.stream().map(f).toList(), next == null ? null : f.apply(next),
                    previous == null ? null : f.apply(previous));
        }
    }

    /** Checks a page size: {@code fallback} when absent, between 1 and {@code max}. */
    public static int limit(Integer limit, int fallback, int max) {
        int size = limit == null ? fallback : limit;
        if (size < 1 || size > max) {
            throw ApiException.invalid("limit", "must be between 1 and " + max);
        }
        return size;
    }
}
