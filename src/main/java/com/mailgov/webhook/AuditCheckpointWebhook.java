package com.mailgov.webhook;

import com.mailgov.audit.AuditCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Sends every audit checkpoint as the event {@code audit.checkpoint}, in the transaction that stored
 * it. The audit package announces checkpoints as a CDI event because webhooks already use the audit log.
 */
@ApplicationScoped
public class AuditCheckpointWebhook {

    @Inject
    WebhookOutbox outbox;

    void send(@Observes AuditCheckpoint checkpoint) {
        outbox.publish(checkpoint.view(), WebhookEvent.AUDIT_CHECKPOINT);
    }
}
