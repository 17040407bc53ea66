package com.mailgov.change;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A department's proposed change to the directory, as a list of items against a base revision. */
@Entity
@Table(name = "change_request")
public class ChangeRequest extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "department_code", nullable = false, length = 32)
    public String departmentCode;

    @Column(nullable = false, length = 200)
    public String title;

    @Column(nullable = false, length = 4000)
    public String reason;

    @Column(name = "external_system", length = 64)
    public String externalSystem;

    @Column(name = "external_key", length = 128)
    public String externalKey;

    @Column(name = "external_url", length = 2000)
    public String externalUrl;

    /** Who filed the ticket (the request itself was posted by the ticketing system's service account). */
    @Column(name = "external_author", length = 100)
    public String externalAuthor;

    /** It describes what a server already holds (an import): see {@code PolicyEngine} on known risks. */
    @Column(name = "describes_server_state", nullable = false)
    public boolean describesServerState;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ChangeStatus status;

    @Column(name = "base_revision", nullable = false)
    public long baseRevision;

    @Column(name = "applied_revision")
    public Long appliedRevision;

    /** Findings of the latest evaluation (submission, or approval when it re-evaluated). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String findings;

    @Column(name = "policy_version", nullable = false)
    public long policyVersion;

    @Column(name = "created_by", nullable = false, length = 100)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "decided_by", length = 100)
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decision_comment", length = 4000)
    public String decisionComment;

    @Column(name = "override_reason", length = 4000)
    public String overrideReason;

    /** The standard change class that approved the request on the policy's behalf; null when a person decided. */
    @Column(name = "standard_change", length = 100)
    public String standardChange;

    @Enumerated(EnumType.STRING)
    @Column(name = "change_type", nullable = false, length = 16)
    public ChangeType changeType = ChangeType.NORMAL;

    /** EMERGENCY only: a second person reviews it after the fact, before this deadline. */
    @Column(name = "review_due_at")
    public Instant reviewDueAt;

    @Column(name = "reviewed_by", length = 100)
    public String reviewedBy;

    @Column(name = "reviewed_at")
    public Instant reviewedAt;

    @OneToMany(mappedBy = "changeRequest", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    public List<ChangeItem> items = new ArrayList<>();
}
