package com.mailgov.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Result of walking the chain; {@code firstInvalid} names the first bad row, {@code checkpoints}
 * what the signed checkpoints (stored and given) say about it ({@code valid} only when both agree).
 * {@code resumedAfter} is set when only the entries after that one were hashed (the incremental
 * check of the audit page, see {@link AuditService#verifyNew()}, which leaves the checkpoints to the
 * full walk); absent after a walk of the whole chain.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(boolean valid, long entries, String headHash, Invalid firstInvalid,
                                AuditCheckpoints.CheckpointReport checkpoints, Long resumedAfter) {

    /** The chain walk's result alone. */
    public AuditVerification(boolean valid, long entries, String headHash, Invalid firstInvalid, Long resumedAfter) {
        this(valid, entries, headHash, firstInvalid, null, resumedAfter);
    }

    public record Invalid(long seq, String reason) {
    }
}
