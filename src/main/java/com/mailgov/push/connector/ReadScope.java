package com.mailgov.push.connector;

import java.util.Set;

/**
 * What to read back from a server. {@code keys} null means everything mailgov manages there;
 * servers that can only be asked per mailbox (ManageSieve) then read each of {@code mailboxes}.
 */
public record ReadScope(Set<ArtifactKey> keys, Set<String> mailboxes) {

    public static ReadScope of(Set<ArtifactKey> keys) {
        return new ReadScope(keys, Set.of());
    }

    public static ReadScope everything(Set<String> mailboxes) {
        return new ReadScope(null, mailboxes);
    }

    public boolean isEverything() {
        return keys == null;
    }
}
