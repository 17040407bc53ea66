package com.mailgov.security;

import io.quarkus.security.identity.SecurityIdentity;

import java.util.Optional;

/**
 * What a UI session cookie names: the username and the account's session epoch when the cookie was
 * issued ({@code alice/3}). Quarkus form authentication keeps only the principal's name in its
 * encrypted cookie (and renews the cookie from the restored identity's name), so the epoch has to
 * travel in the name; {@link #username(SecurityIdentity)} gives the plain username back to the
 * rest of the service. Usernames cannot contain {@code /}.
 */
public record SessionPrincipal(String username, int epoch) {

    /** Identity attribute that marks an identity restored from (or made for) a UI session. */
    static final String ATTRIBUTE = "mailgov.session";

    private static final char SEPARATOR = '/';

    public String cookieName() {
        return username + SEPARATOR + epoch;
    }

    /** The cookie's principal, or empty for a name without an epoch (a cookie from before sessions had one). */
    static Optional<SessionPrincipal> parse(String name) {
        int at = name == null ? -1 : name.lastIndexOf(SEPARATOR);
        if (at <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SessionPrincipal(name.substring(0, at), Integer.parseInt(name.substring(at + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The person's username, for session identities and all others alike. */
    public static String username(SecurityIdentity identity) {
        Object session = identity.getAttribute(ATTRIBUTE);
        return session instanceof SessionPrincipal s ? s.username() : identity.getPrincipal().getName();
    }
}
