package com.mailgov.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;

/**
 * The columns {@link LeasedQueue} works with, shared by every queue table's entity (push jobs,
 * webhook deliveries): how often a row was tried, when it is due next, until when a worker holds
 * it, and why the last try failed.
 */
@MappedSuperclass
public abstract class LeasedRow extends PanacheEntityBase {

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    @Column(name = "last_error", length = 1000)
    public String lastError;
}
