package com.mailgov.push.connector;

import java.util.Comparator;

/** Identity of one artifact on a server. */
public record ArtifactKey(ArtifactType type, String key) implements Comparable<ArtifactKey> {

    private static final Comparator<ArtifactKey> ORDER =
            Comparator.comparing(ArtifactKey::type).thenComparing(ArtifactKey::key);

    public static ArtifactKey alias(String source) {
        return new ArtifactKey(ArtifactType.ALIAS, source);
    }

    public static ArtifactKey vacation(String mailbox) {
        return new ArtifactKey(ArtifactType.VACATION, mailbox);
    }

    public static ArtifactKey list(String address) {
        return new ArtifactKey(ArtifactType.LIST, address);
    }

    public static ArtifactKey listMember(String list, String member) {
        return new ArtifactKey(ArtifactType.LIST_MEMBER, list + "|" + member);
    }

    @Override
    public int compareTo(ArtifactKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return type + ":" + key;
    }
}
