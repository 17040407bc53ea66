package com.mailgov.webhook;

import java.util.Arrays;
import java.util.Optional;

/** What a webhook endpoint can subscribe to. */
public enum WebhookEvent {
    CHANGE_SUBMITTED("change.submitted"),
    CHANGE_EVALUATED("change.evaluated"),
    CHANGE_APPROVED("change.approved"),
    CHANGE_REJECTED("change.rejected"),
    CHANGE_APPLIED("change.applied"),
    CHANGE_FAILED("change.failed"),
    DRIFT_DETECTED("drift.detected"),
    LOOP_DETECTED("loop.detected"),
    LOOP_RESOLVED("loop.resolved"),
    LOOP_REVIEW_DUE("loop.review-due"),
    /** A signed checkpoint of the audit chain head; a receiver that keeps them anchors the chain outside the database. */
    AUDIT_CHECKPOINT("audit.checkpoint");

    private final String type;

    WebhookEvent(String type) {
        this.type = type;
    }

    public String type() {
        return type;
    }

    public static Optional<WebhookEvent> of(String type) {
        return Arrays.stream(values()).filter(e -> e.type.equals(type)).findFirst();
    }
}
