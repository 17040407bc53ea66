package com.mailgov.ui;

import com.mailgov.audit.AuditEntryView;
import com.mailgov.audit.AuditVerification;

import java.time.Instant;
import java.util.List;

/**
 * The audit page: one page of matching entries newest first, the cursors of the older
 * ({@code next}) and newer ({@code previous}) pages, the chain's verification, the filters as typed.
 */
public record AuditModel(List<AuditEntryView> entries, String next, String previous, AuditVerification verification,
                         Instant fullCheckedAt, String actor, String object, String action, String from, String to) {
}
