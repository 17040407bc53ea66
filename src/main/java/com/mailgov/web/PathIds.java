package com.mailgov.web;

/** Numeric ids in paths: anything that is not a number names nothing, so it is a 404, not a 400 or 500. */
public final class PathIds {

    private PathIds() {
    }

    public static long number(String raw, String what) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.notFound(what + " " + (raw.length() > 20 ? raw.substring(0, 20) : raw));
        }
    }
}
