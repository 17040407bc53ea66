package com.mailgov.push.connector;

import java.util.Map;

/**
 * One mail server, as mailgov pushes to it and reads it back. Implementations are opened per
 * job and closed after it; they hold no state between jobs, so a job that is retried after a
 * crash simply reads again and applies what is still different.
 */
public interface MailServerConnector extends AutoCloseable {

    /**
     * The current content of the artifacts in scope that exist on the server (absent key = not
     * there). Only types of {@link ServerKind#handles()} are returned.
     */
    Map<ArtifactKey, String> read(ReadScope scope) throws ConnectorException;

    /**
     * Makes each key hold the given content; a {@code null} content removes the artifact.
     * Changes are applied in key order (lists before their members). Idempotent: applying the
     * same map twice has the effect of applying it once.
     */
    void apply(Map<ArtifactKey, String> changes) throws ConnectorException;

    @Override
    default void close() {
    }
}
