package com.mailgov.push.pipeline;

import com.mailgov.outbox.LeasedRow;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * One unit of the push outbox: bring these artifacts (or everything) on one server in line with
 * the directory. Jobs are state-based, not diffs, so running one twice has no further effect.
 */
@Entity
@Table(name = "push_job")
public class PushJob extends LeasedRow {

    public enum Status { PENDING, APPLIED, FAILED }

    /** CHANGE: written with an approval; RECONCILE: an admin asked to restore the approved state. */
    public enum Purpose { CHANGE, RECONCILE }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "push_job_seq")
    @SequenceGenerator(name = "push_job_seq", sequenceName = "push_job_seq", allocationSize = 50)
    public Long id;

    @Column(name = "server_id", nullable = false)
    public Long serverId;

    @Column(name = "change_request_id")
    public UUID changeRequestId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Purpose purpose;

    /** JSON array of artifact keys ("TYPE:key"); null = everything. */
    public String scope;

    @Column(name = "target_revision", nullable = false)
    public long targetRevision;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Status status;

    /** Artifacts that had to change on the server in the successful attempt. */
    @Column(name = "changed_count")
    public Integer changedCount;

    @Column(name = "created_by", nullable = false, length = 100)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
