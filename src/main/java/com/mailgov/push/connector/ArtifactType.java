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
     * A vacation the server runs outside mailgov (a user's own active script that uses
     * {@code vacation}). Only ever read, for drift; never pushed. Key: mailbox. Content: script name.
     */
    UNMANAGED_VACATION
}
