package com.mailgov.change;

import com.mailgov.directory.ObjectKind;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One item of a change request, with its spec normalised as it was submitted. */
@Entity
@Table(name = "change_item")
public class ChangeItem extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "change_item_seq")
    @SequenceGenerator(name = "change_item_seq", sequenceName = "change_item_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "change_request_id")
    public ChangeRequest changeRequest;

    @Column(nullable = false)
    public int position;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ChangeAction action;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public ObjectKind kind;

    @Column(name = "object_key", nullable = false, length = 600)
    public String objectKey;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String spec;
}
