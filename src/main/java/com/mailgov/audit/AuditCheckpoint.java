package com.mailgov.audit;

import java.time.Instant;

/**
 * A signed statement "the audit chain had {@code seq} entries and its newest hash was {@code headHash}
 * at {@code signedAt}". The signature is Ed25519 over {@link #statement()}, one line of text that an
 * auditor rebuilds from a log line to check it with openssl (docs/security.md).
 */
public record AuditCheckpoint(long seq, String headHash, Instant signedAt, String keyId, String signature) {

    static final String VERSION = "mailgov-audit-checkpoint v1";

    /** The exact text that is signed. */
    public String statement() {
        return VERSION + " seq=" + seq + " head=" + headHash + " at=" + signedAt + " key=" + keyId;
    }

    /** As the API, the webhook and verify's input show it; {@code statement} is output only (ignored on input). */
    public record CheckpointView(Long seq, String headHash, String signedAt, String keyId, String signature, String statement) {
    }

    public CheckpointView view() {
        return new CheckpointView(seq, headHash, signedAt.toString(), keyId, signature, statement());
    }

    /** The log line (one line, greppable): the statement's fields and the signature. */
    String logLine() {
        return "audit checkpoint seq=" + seq + " head=" + headHash + " at=" + signedAt + " key=" + keyId + " sig=" + signature;
    }
}
