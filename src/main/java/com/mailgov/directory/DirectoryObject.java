package com.mailgov.directory;

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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One version of one directory object, valid for revisions [fromRevision, toRevision).
 * The spec is the normalised JSON of the kind's spec record.
 */
@Entity
@Table(name = "directory_object")
public class DirectoryObject extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "directory_object_seq")
    @SequenceGenerator(name = "directory_object_seq", sequenceName = "directory_object_seq", allocationSize = 50)
    public Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public ObjectKind kind;

    @Column(name = "object_key", nullable = false, length = 600)
    public String objectKey;

    @Column(name = "department_code", nullable = false, length = 32)
    public String departmentCode;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String spec;

    @Column(name = "from_revision", nullable = false)
    public long fromRevision;

    @Column(name = "to_revision")
    public Long toRevision;
}
