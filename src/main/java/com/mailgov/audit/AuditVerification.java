package com.mailgov.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Result of walking the chain; {@code firstInvalid} names the first bad row, {@code checkpoints}
 * what the signed checkpoints (stored and given) say about it. {@code valid} only when both agree.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(boolean valid, long entries, String headHash, Invalid firstInvalid,
                                AuditCheckpoints.CheckpointReport checkpoints) {

    public record Invalid(long seq, String reason) {
    }
}
