package com.mailgov.webhook;

import com.mailgov.outbox.LeasedRow;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** One event for one endpoint: the outbox row, and its delivery log. */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends LeasedRow {

    public enum Status { PENDING, DELIVERED, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "webhook_delivery_seq")
    @SequenceGenerator(name = "webhook_delivery_seq", sequenceName = "webhook_delivery_seq", allocationSize = 50)
    public Long id;

    @Column(name = "endpoint_id", nullable = false)
    public Long endpointId;

    /** webhook-id: the same for every attempt, so receivers can deduplicate. */
    @Column(name = "message_id", nullable = false, length = 64)
    public String messageId;

    @Column(name = "event_type", nullable = false, length = 64)
    public String eventType;

    @Column(nullable = false)
    public String payload;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Status status;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "latency_ms")
    public Long latencyMs;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
