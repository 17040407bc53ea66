package com.mailgov.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Result of walking the chain; {@code firstInvalid} names the first bad row. {@code resumedAfter}
 * is set when only the entries after that one were hashed (the incremental check of the audit
 * page, see {@link AuditService#verifyNew()}); absent after a walk of the whole chain.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(boolean valid, long entries, String headHash, Invalid firstInvalid, Long resumedAfter) {

    public AuditVerification(boolean valid, long entries, String headHash, Invalid firstInvalid) {
        this(valid, entries, headHash, firstInvalid, null);
    }

    public record Invalid(long seq, String reason) {
    }
}
