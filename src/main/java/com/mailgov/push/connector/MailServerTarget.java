package com.mailgov.push.connector;

import java.util.Map;

/**
 * Where and how to reach one registered server. {@code secret} is resolved from the server's
 * credential reference just before use and must never be logged or put into an error message.
 */
public record MailServerTarget(String name, ServerKind kind, String endpoint, String username, String secret,
                               Map<String, String> options) {

    public String option(String name, String fallback) {
        String v = options == null ? null : options.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Override
    public String toString() {
        return "MailServerTarget[" + name + ", " + kind + ", " + endpoint + "]";
    }
}
