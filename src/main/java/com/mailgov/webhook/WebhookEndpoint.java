package com.mailgov.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A registered receiver of webhook events (a ticketing system, a chat bot, …). */
@Entity
@Table(name = "webhook_endpoint")
public class WebhookEndpoint extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "webhook_endpoint_seq")
    @SequenceGenerator(name = "webhook_endpoint_seq", sequenceName = "webhook_endpoint_seq", allocationSize = 50)
    public Long id;

    @Column(nullable = false, length = 2000)
    public String url;

    /** whsec_… signing secret; never returned by the API. */
    @Column(nullable = false, length = 200)
    public String secret;

    /** Comma-separated event types. */
    @Column(nullable = false, length = 1000)
    public String events;

    @Column(nullable = false)
    public boolean enabled;

    @Column(length = 200)
    public String description;

    @Column(name = "created_by", nullable = false, length = 100)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public List<String> eventList() {
        return Arrays.stream(events.split(",")).filter(e -> !e.isBlank()).toList();
    }
}
