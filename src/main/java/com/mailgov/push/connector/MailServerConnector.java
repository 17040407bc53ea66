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

    /** Decides, for a part of the scope and what was read there, what to change (content null = remove). */
    @FunctionalInterface
    interface FixPlan {
        Map<ArtifactKey, String> fixes(ReadScope part, Map<ArtifactKey, String> actual);
    }

    /**
     * Reads the scope and applies what {@code plan} decides for it; returns what was read, before
     * any change. The default reads everything, then applies; a server that charges per session
     * (ManageSieve logs in once per mailbox) overrides it to read and fix each part in one session.
     */
    default Map<ArtifactKey, String> readAndApply(ReadScope scope, FixPlan plan) throws ConnectorException {
        Map<ArtifactKey, String> actual = read(scope);
        Map<ArtifactKey, String> fixes = plan.fixes(scope, actual);
        if (!fixes.isEmpty()) {
            apply(fixes);
        }
        return actual;
    }

    @Override
    default void close() {
    }
}
