package com.mailgov.push.server;

import com.mailgov.push.connector.ServerKind;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
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

/** A registered mail server. Its secret is never stored here, only a reference to where it lives. */
@Entity
@Table(name = "mail_server")
public class MailServer extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "mail_server_seq")
    @SequenceGenerator(name = "mail_server_seq", sequenceName = "mail_server_seq", allocationSize = 50)
    public Long id;

    @Column(nullable = false, unique = true, length = 64)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public ServerKind kind;

    @Column(nullable = false, length = 500)
    public String endpoint;

    @Column(length = 200)
    public String username;

    @Column(name = "credential_ref", length = 300)
    public String credentialRef;

    /** JSON object of string options (kind-specific, e.g. table, concurrency). */
    @Column(nullable = false)
    public String options;

    @Column(nullable = false)
    public boolean enabled;

    /** OBSERVE: read and reported, never written; ENFORCE: receives the approved state (after a confirmed plan). */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ServerMode mode = ServerMode.OBSERVE;

    @Column(name = "created_by", nullable = false, length = 100)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "drift_checked_at")
    public Instant driftCheckedAt;

    @Column(name = "drift_count")
    public Integer driftCount;

    @Column(name = "drift_error", length = 1000)
    public String driftError;
}
