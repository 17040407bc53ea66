package com.mailgov.push.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Secrets are referenced, not stored: {@code env:NAME} (an environment variable, e.g. from a
 * Kubernetes Secret) or {@code file:/path} (a mounted secret file). Resolved just before use.
 */
public final class Credentials {

    private static final Pattern ENV = Pattern.compile("env:[A-Z_][A-Z0-9_]{0,100}");
    private static final Pattern FILE = Pattern.compile("file:/[^\\x00-\\x1f]{1,250}");

    private Credentials() {
    }

    /** Why a reference is malformed, or null. */
    public static String checkFormat(String ref) {
        return ENV.matcher(ref).matches() || FILE.matcher(ref).matches() && !ref.contains("/../")
                ? null : "must be env:NAME (upper case) or file:/absolute/path";
    }

    /** The secret, or an exception saying which reference could not be resolved (never the value). */
    public static String resolve(String ref) {
        if (ref == null) {
            return null;
        }
        if (ref.startsWith("env:")) {
            String value = System.getenv(ref.substring(4));
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("credential " + ref + " is not set");
            }
            return value;
        }
        try {
            String value = Files.readString(Path.of(ref.substring(5)), StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("credential " + ref + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw new IllegalStateException("credential " + ref + " cannot be read", e);
        }
    }
}
