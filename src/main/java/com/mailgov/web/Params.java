package com.mailgov.web;

import java.util.Arrays;
import java.util.UUID;

/**
 * Path and query parameters, parsed one way everywhere. An id that cannot be one names nothing,
 * so it is a 404 (not a 400 or 500); an enum value outside its set is a 400 naming the field and
 * the allowed values; blank optional values mean "not given".
 */
public final class Params {

    private Params() {
    }

    /** A numeric id in a path. */
    public static long number(String raw, String what) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.notFound(what + " " + cut(raw, 20, ""));
        }
    }

    /** A UUID in a path. */
    public static UUID uuid(String raw, String what) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(what + " " + cut(raw, 64, "…"));
        }
    }

    /** An optional enum parameter: null when absent or blank. */
    public static <E extends Enum<E>> E optional(Class<E> type, String field, String raw) {
        return raw == null || raw.isBlank() ? null : required(type, field, raw);
    }

    /** A required enum parameter. */
    public static <E extends Enum<E>> E required(Class<E> type, String field, String raw) {
        try {
            return Enum.valueOf(type, raw == null ? "" : raw);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String cut(String raw, int max, String mark) {
        return raw.length() > max ? raw.substring(0, max) + mark : raw;
    }
}
