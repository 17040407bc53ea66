package com.mailgov.push.connector;

/**
 * What a piece of mail-server configuration is. Each connector handles some types; desired and
 * actual state are compared artifact by artifact, so every content is a canonical string.
 */
public enum ArtifactType {
    /** Postfix virtual alias. Key: source address. Content: targets joined by ", " in the order given. */
    ALIAS,
    /** Sieve vacation of a mailbox, active on the server. Key: mailbox. Content: the script text. */
    VACATION,
    /**
     * Mailman list. Key: list address. Content: the settings mailgov governs as sorted
     * {@code name=value} lines ({@code display_name}, {@code include_rfc2369_headers}, {@code reply_goes_to_list}).
     */
    LIST,
    /** Mailman list membership. Key: {@code list|member}. Content: empty. */
    LIST_MEMBER,
    /**
     * A mailbox's own active Sieve script (not mailgov's). Only ever read, never written or removed
     * by mailgov: drift reports it UNMANAGED, with what it does. Key: mailbox. Content:
     * {@code script: NAME}, {@code responders: ...} (the responder actions found, {@code none}, or
     * why it could not be told), then an empty line and the script text.
     */
    USER_SIEVE;

    /** Types a connector reports but mailgov never writes. */
    public boolean readOnly() {
        return this == USER_SIEVE;
    }

    /** The type of a stored name, including names of earlier versions. */
    public static ArtifactType parse(String name) {
        return "UNMANAGED_VACATION".equals(name) ? USER_SIEVE : valueOf(name);
    }
}
