package com.mailgov.change;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.mailgov.directory.ObjectKind;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Severity;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What the change-request API takes and returns. */
public final class ChangeRequestDtos {

    private ChangeRequestDtos() {
    }

    /** A ticket in the company's ticketing system that this request belongs to. */
    public record ExternalRef(String system, String key, String url,
                              @Schema(description = "Username of the person who filed the ticket (sent by the ticketing "
                                      + "system's service account); four eyes: they cannot approve or reject the request")
                              String author) {
    }

    public record ItemRequest(ChangeAction action, ObjectKind kind,
                              @Schema(description = "Kind-specific: MAILBOX {address, displayName}; FORWARD {source, targets[], keepCopy}; "
                                      + "MAILING_LIST {address, name, members[], replyToList, addsListHeaders}; LIST_MEMBER {list, member}; "
                                      + "EXTERNAL_SUBSCRIPTION {mailbox, listAddress, replyToList?, addsListHeaders?}; "
                                      + "AUTOREPLY {mailbox, subject, body, startsAt?, endsAt?, intervalDays, audience, addresses?[]}. "
                                      + "UPDATE states the whole new spec; DELETE needs only the identifying address(es).")
                              JsonNode spec) {
    }

    public record SubmitChangeRequest(String department, String title, String reason, ExternalRef externalRef,
                                      List<ItemRequest> items) {
    }

    /** Approve: comment optional, overrideReason required when there are WARN findings. Reject: comment required. */
    public record Decision(String comment, String overrideReason) {
    }

    public record ItemView(ChangeAction action, ObjectKind kind, String key,
                           @JsonRawValue @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT) String spec) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChangeRequestView(UUID id, ChangeStatus status, String department, String title, String reason,
                                    ExternalRef externalRef, long baseRevision, Long appliedRevision,
                                    List<ItemView> items, List<Finding> findings, Severity highestSeverity,
                                    long policyVersion, String createdBy, Instant createdAt, String decidedBy,
                                    Instant decidedAt, String decisionComment, String overrideReason,
                                    @Schema(description = "The standard change class that approved the request by policy (decidedBy system:standard-change)")
                                    String standardChange,
                                    @Schema(description = "NORMAL, or EMERGENCY: applied at once by one approver or the policy, reviewed afterwards")
                                    ChangeType type,
                                    @Schema(description = "EMERGENCY: the review by a second person is due by then")
                                    Instant reviewDueAt, String reviewedBy, Instant reviewedAt,
                                    @Schema(description = "Per mail server: the push of this request (after approval)")
                                    List<com.mailgov.push.pipeline.PushOutbox.PushView> pushes,
                                    @Schema(description = "What the caller may do with the request now (the same checks the commands make)")
                                    Set<RequestAction> allowedActions) {
    }

    public record ChangeRequestSummary(UUID id, ChangeStatus status, String department, String title,
                                       Severity highestSeverity, String createdBy, Instant createdAt,
                                       ExternalRef externalRef) {
    }
}
