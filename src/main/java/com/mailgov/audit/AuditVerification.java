package com.mailgov.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Result of walking the chain; {@code firstInvalid} names the first bad row. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditVerification(boolean valid, long entries, String headHash, Invalid firstInvalid) {

    public record Invalid(long seq, String reason) {
    }
}
