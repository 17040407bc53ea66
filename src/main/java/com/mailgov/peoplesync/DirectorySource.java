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

/** A company directory (LDAP / Active Directory) mailgov reads people from; the bind password is a reference. */
@Entity
@Table(name = "directory_source")
public class DirectorySource extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "directory_source_seq")
    @SequenceGenerator(name = "directory_source_seq", sequenceName = "directory_source_seq", allocationSize = 50)
    public Long id;

    @Column(nullable = false, unique = true, length = 64)
    public String name;

    @Column(nullable = false, length = 500)
    public String url;

    @Column(name = "start_tls", nullable = false)
    public boolean startTls;

    /** PEM: the CA(s) the server's certificate must chain to, instead of the JVM's trust store. */
    @Column(name = "ca_certificate", columnDefinition = "text")
    public String caCertificate;

    @Column(name = "bind_dn", length = 500)
    public String bindDn;

    @Column(name = "credential_ref", length = 300)
    public String credentialRef;

    @Column(name = "base_dn", nullable = false, length = 500)
    public String baseDn;

    @Column(nullable = false, length = 1000)
    public String filter;

    /** {@link DirectorySourceDtos.AttributeMapping} as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String attributes;

    /** Directory department value → mailgov department code, as a JSON object. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String departments;

    @Column(name = "sync_interval_seconds")
    public Integer syncIntervalSeconds;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "scheduled_at")
    public Instant scheduledAt;

    @Column(name = "running_since")
    public Instant runningSince;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
