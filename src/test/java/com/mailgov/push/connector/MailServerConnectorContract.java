package com.mailgov.push.connector;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What every {@link MailServerConnector} must do against its real server. An implementing test
 * class provides a connector and fresh keys (with whatever must exist for them, e.g. a mailbox).
 */
public interface MailServerConnectorContract {

    /** A new connector for the server under test (the test closes it). */
    MailServerConnector connector() throws Exception;

    /** A key that is not on the server yet, every call a different one. */
    ArtifactKey freshKey() throws Exception;

    /** Valid content for the key; different variants give different content. */
    String content(ArtifactKey key, int variant);

    /** Valid content with Japanese (multi-byte UTF-8) text in it. */
    String unicodeContent(ArtifactKey key);

    private Map<ArtifactKey, String> readKey(ArtifactKey key) throws Exception {
        try (MailServerConnector c = connector()) {
            Map<ArtifactKey, String> all = c.read(ReadScope.of(Set.of(key)));
            Map<ArtifactKey, String> same = new HashMap<>();
            all.forEach((k, v) -> {
                if (k.type() == key.type()) {
                    same.put(k, v);
                }
            });
            return same;
        }
    }

    private void apply(ArtifactKey key, String content) throws Exception {
        Map<ArtifactKey, String> change = new HashMap<>();
        change.put(key, content);
        try (MailServerConnector c = connector()) {
            c.apply(change);
        }
    }

    @Test
    default void applyThenReadReturnsExactlyTheContent() throws Exception {
        ArtifactKey key = freshKey();
        apply(key, content(key, 1));
        assertEquals(Map.of(key, content(key, 1)), readKey(key));

        apply(key, content(key, 2));
        assertEquals(Map.of(key, content(key, 2)), readKey(key), "an update replaces the content");
    }

    @Test
    default void applyingTwiceHasTheEffectOfOnce() throws Exception {
        ArtifactKey key = freshKey();
        apply(key, content(key, 1));
        Map<ArtifactKey, String> once = readKey(key);
        apply(key, content(key, 1));
        assertEquals(once, readKey(key));
        assertEquals(Map.of(key, content(key, 1)), readKey(key));
    }

    @Test
    default void removeThenReadIsAbsent() throws Exception {
        ArtifactKey key = freshKey();
        apply(key, content(key, 1));
        apply(key, null);
        assertEquals(Map.of(), readKey(key));
        apply(key, null); // removing what is not there is fine
        assertEquals(Map.of(), readKey(key));
    }

    @Test
    default void unknownKeyReadsAbsent() throws Exception {
        ArtifactKey key = freshKey();
        assertNull(readKey(key).get(key));
        assertEquals(Map.of(), readKey(key));
    }

    @Test
    default void unicodeContentRoundTripsByteIdentically() throws Exception {
        ArtifactKey key = freshKey();
        String content = unicodeContent(key);
        assertNotEquals(content.length(), content.getBytes(StandardCharsets.UTF_8).length, "content must be multi-byte");
        apply(key, content);
        String back = readKey(key).get(key);
        assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), back == null ? null : back.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    default void readAndApplyReturnsWhatWasThereAndLeavesWhatThePlanSays() throws Exception {
        ArtifactKey there = freshKey();
        ArtifactKey missing = freshKey();
        apply(there, content(there, 1));
        Set<ArtifactKey> both = Set.of(there, missing);
        Map<ArtifactKey, String> before;
        try (MailServerConnector c = connector()) {
            before = c.readAndApply(ReadScope.of(both), (part, actual) -> {
                Map<ArtifactKey, String> fixes = new HashMap<>();
                for (ArtifactKey k : part.keys()) {
                    if (k.equals(there)) {
                        fixes.put(k, content(k, 2));
                    } else if (k.equals(missing)) {
                        fixes.put(k, content(k, 1));
                    }
                }
                return fixes;
            });
        }
        assertEquals(content(there, 1), before.get(there), "the content before the change");
        assertNull(before.get(missing));
        assertEquals(Map.of(there, content(there, 2)), readKey(there));
        assertEquals(Map.of(missing, content(missing, 1)), readKey(missing));
    }
}
