package com.mailgov.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A numbered state of the approved directory; revision 0 is empty. */
@Entity
@Table(name = "directory_revision")
public class DirectoryRevision extends PanacheEntityBase {

    @Id
    public long number;

    @Column(name = "change_request_id")
    public UUID changeRequestId;

    @Column(name = "created_by", nullable = false, length = 100)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
