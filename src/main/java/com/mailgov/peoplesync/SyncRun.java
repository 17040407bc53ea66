package com.mailgov.peoplesync;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** One sync of a directory source: what it read, what it proposed, what it skipped and why. */
@Entity
@Table(name = "directory_sync_run")
public class SyncRun extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "directory_sync_run_seq")
    @SequenceGenerator(name = "directory_sync_run_seq", sequenceName = "directory_sync_run_seq", allocationSize = 50)
    public Long id;

    @Column(name = "source_id", nullable = false)
    public Long sourceId;

    @Column(name = "triggered_by", nullable = false, length = 200)
    public String triggeredBy;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at", nullable = false)
    public Instant finishedAt;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(nullable = false)
    public int entries;

    /** {@link DirectorySourceDtos.SyncReport} as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String report;
}
