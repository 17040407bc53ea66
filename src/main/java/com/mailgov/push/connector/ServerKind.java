package com.mailgov.push.connector;

import java.util.Set;

/** The kinds of mail server mailgov can push to, and which artifacts each one holds. */
public enum ServerKind {
    /** Postfix map and .sieve files in a folder: the embedded default. */
    FILE(Set.of(ArtifactType.ALIAS, ArtifactType.VACATION)),
    /** Postfix reading virtual aliases from a PostgreSQL table ({@code pgsql:} map). */
    POSTFIX_PGSQL(Set.of(ArtifactType.ALIAS)),
    /** Dovecot/Pigeonhole over ManageSieve (RFC 5804), logging in as a master user per mailbox. */
    DOVECOT_MANAGESIEVE(Set.of(ArtifactType.VACATION, ArtifactType.USER_SIEVE)),
    /** Mailman 3 core REST API. */
    MAILMAN(Set.of(ArtifactType.LIST, ArtifactType.LIST_MEMBER));

    private final Set<ArtifactType> handles;

    ServerKind(Set<ArtifactType> handles) {
        this.handles = handles;
    }

    public Set<ArtifactType> handles() {
        return handles;
    }
}
