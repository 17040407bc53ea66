package com.mailgov.security;

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
import java.util.Set;
import java.util.stream.Collectors;

/** A local account (embedded default); passwords are bcrypt hashes. */
@Entity
@Table(name = "local_user")
public class LocalUser extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "local_user_seq")
    @SequenceGenerator(name = "local_user_seq", sequenceName = "local_user_seq", allocationSize = 50)
    public Long id;

    @Column(nullable = false, unique = true, length = 64)
    public String username;

    @Column(name = "password_hash", nullable = false, length = 100)
    public String passwordHash;

    /** Comma-separated role names. */
    @Column(nullable = false, length = 200)
    public String roles;

    @Column(name = "department_code", length = 32)
    public String departmentCode;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** The person's own mail address (their mailbox, if the directory has one); null for service accounts. */
    @Column(length = 320)
    public String email;

    /** Raised to end every UI session of the account (logout, new password, disabled); see SessionPrincipal. */
    @Column(name = "session_epoch", nullable = false)
    public int sessionEpoch;

    /** Set while the account is disabled. */
    @Column(name = "disabled_at")
    public Instant disabledAt;

    public Set<String> roleSet() {
        return roleSet(roles);
    }

    /** The stored comma-separated role names as a set. */
    public static Set<String> roleSet(String roles) {
        return Arrays.stream(roles.split(",")).filter(r -> !r.isBlank()).collect(Collectors.toUnmodifiableSet());
    }
}
