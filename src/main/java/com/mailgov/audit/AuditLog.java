package com.mailgov.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.hibernate.FlushMode;
import org.hibernate.query.NativeQuery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Appends to the hash chain inside the caller's transaction, so an action and its audit row
 * commit or roll back together. Writers serialise on one advisory lock for the short time
 * between appending and committing; services therefore audit as their last step.
 */
@ApplicationScoped
public class AuditLog {

    /** Advisory lock key of the chain head ("mailgov-audit"). */
    private static final long CHAIN_LOCK = 0x6d61696c_61756474L;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    TransactionSynchronizationRegistry transaction;

    /** The chain head as this transaction left it, so a second entry needs no lock or query. */
    private record Head(long seq, String hash) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Actor actor, String action, String objectType, String objectId, Object before, Object after) {
        Head head = (Head) transaction.getResource(Head.class);
        if (head == null) {
            // The caller's changes go to the database now, before the chain is locked, so the lock is
            // held only for the audit rows and the commit; the audit statements themselves touch only
            // audit_entry (their query space), so Hibernate does not flush the whole session again for each.
            em.flush();
            head = lockHead();
        }
        long seq = head.seq() + 1;
        String prevHash = head.hash();

        AuditChain.Row row = new AuditChain.Row(seq, Instant.now().truncatedTo(ChronoUnit.MICROS),
                actor.username(), actor.rolesText(), actor.department(), actor.sourceIp(), actor.requestId(),
                action, objectType, objectId, toJson(before), toJson(after));
        String hash = AuditChain.hash(prevHash, row);
        auditQuery("""
                        INSERT INTO audit_entry (seq, occurred_at, actor, roles, department, source_ip, request_id,
                            action, object_type, object_id, before_state, after_state, prev_hash, hash)
                        VALUES (:seq, :at, :actor, :roles, :department, :ip, :requestId, :action, :objectType,
                            :objectId, CAST(:before AS jsonb), CAST(:after AS jsonb), :prevHash, :hash)""")
                .setParameter("seq", row.seq())
                .setParameter("at", row.occurredAt())
                .setParameter("actor", row.actor())
                .setParameter("roles", row.roles())
                .setParameter("department", row.department())
                .setParameter("ip", row.sourceIp())
                .setParameter("requestId", row.requestId())
                .setParameter("action", row.action())
                .setParameter("objectType", row.objectType())
                .setParameter("objectId", row.objectId())
                .setParameter("before", row.beforeJson())
                .setParameter("after", row.afterJson())
                .setParameter("prevHash", prevHash)
                .setParameter("hash", hash)
                .executeUpdate();
        transaction.putResource(Head.class, new Head(seq, hash));
    }

    private Head lockHead() {
        auditQuery("SELECT pg_advisory_xact_lock(:key)").setParameter("key", CHAIN_LOCK).getSingleResult();
        Object[] row = (Object[]) auditQuery("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
                .getResultStream().findFirst().orElse(null);
        return row == null ? new Head(0, AuditChain.GENESIS) : new Head(((Number) row[0]).longValue(), (String) row[1]);
    }

    /**
     * A statement on audit_entry alone, which only these statements write: no flush before it (the
     * caller's changes were flushed before the chain lock). Even a query space of its own would make
     * Hibernate dirty-check every entity of the session before each statement.
     */
    private NativeQuery<?> auditQuery(String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class).addSynchronizedQuerySpace("audit_entry")
                .setHibernateFlushMode(FlushMode.MANUAL);
    }

    private String toJson(Object value) {
        if (value == null) {
            return null;
        }
        try {
            // Through text, not valueToTree: @JsonRawValue fields must become real JSON before sorting.
            JsonNode node = value instanceof JsonNode n ? n : json.readTree(json.writeValueAsString(value));
            return AuditChain.canonicalJson(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("audit state is not serialisable", e);
        }
    }
}
