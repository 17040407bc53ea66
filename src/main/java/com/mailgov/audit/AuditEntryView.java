package com.mailgov.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;
import java.util.List;

/** An audit entry as the API shows and exports it (hashes included, so anyone can re-verify). */
public record AuditEntryView(long seq, Instant occurredAt, String actor, List<String> roles, String department,
                             String sourceIp, String requestId, String action, String objectType, String objectId,
                             @JsonRawValue String before, @JsonRawValue String after, String prevHash, String hash) {

    static AuditEntryView of(AuditEntry e) {
        return new AuditEntryView(e.seq, e.occurredAt, e.actor,
                e.roles.isEmpty() ? List.of() : List.of(e.roles.split(",")),
                e.department, e.sourceIp, e.requestId, e.action, e.objectType, e.objectId,
                e.beforeState, e.afterState, e.prevHash, e.hash);
    }
}
