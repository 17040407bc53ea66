package com.mailgov.ui;

import com.mailgov.audit.AuditEntryView;
import com.mailgov.audit.AuditVerification;

import java.util.List;

/** The audit page: matching entries newest first, the filters as typed, the chain's verification. */
public record AuditModel(List<AuditEntryView> entries, Long nextBeforeSeq, AuditVerification verification,
                         String actor, String object, String action, String from, String to) {
}
