package com.mailgov.audit;

import com.mailgov.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads, verifies and exports the audit log. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AuditService {

    static final int VERIFY_BATCH = 2000;

    @Inject
    EntityManager em;

    @Inject
    AuditCheckpoints checkpoints;

    public record Filter(String actor, String object, String action, Instant from, Instant to) {
    }

    /** Newest first; pass the smallest seq seen as {@code beforeSeq} for the next page. */
    @Transactional
    public List<AuditEntryView> search(Filter filter, Long beforeSeq, int limit) {
        if (filter.from() != null && filter.to() != null && filter.from().isAfter(filter.to())) {
            throw ApiException.invalid("from", "must not be after 'to'");
        }
        StringBuilder jpql = new StringBuilder("FROM AuditEntry e WHERE 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (filter.actor() != null) {
            jpql.append(" AND e.actor = :actor");
            params.put("actor", filter.actor());
        }
        if (filter.object() != null) {
            jpql.append(" AND e.objectId = :object");
            params.put("object", filter.object());
        }
        if (filter.action() != null) {
            jpql.append(" AND e.action = :action");
            params.put("action", filter.action());
        }
        if (filter.from() != null) {
            jpql.append(" AND e.occurredAt >= :from");
            params.put("from", filter.from());
        }
        if (filter.to() != null) {
            jpql.append(" AND e.occurredAt < :to");
            params.put("to", filter.to());
        }
        if (beforeSeq != null) {
            jpql.append(" AND e.seq < :beforeSeq");
            params.put("beforeSeq", beforeSeq);
        }
        jpql.append(" ORDER BY e.seq DESC");
        TypedQuery<AuditEntry> query = em.createQuery(jpql.toString(), AuditEntry.class).setMaxResults(limit);
        params.forEach(query::setParameter);
        return query.getResultList().stream().map(AuditEntryView::of).toList();
    }

    /** Oldest first, for export and verification. */
    @Transactional
    public List<AuditEntry> batchAfter(long afterSeq, int size) {
        return em.createQuery("FROM AuditEntry e WHERE e.seq > :after ORDER BY e.seq", AuditEntry.class)
                .setParameter("after", afterSeq)
                .setMaxResults(size)
                .getResultList();
    }

    /**
     * Walks the whole chain: sequence without gaps, each prev_hash equal to the previous hash, each
     * hash equal to the recomputed one, and names the first row where any of that fails. Then compares
     * the chain with the stored checkpoints and the given ones (copies kept outside the database): a
     * chain rewritten with recomputed hashes, or cut short, passes the walk but not them.
     */
    @Transactional
    public AuditVerification verify(List<AuditCheckpoint.CheckpointView> given) {
        AuditCheckpoints.CheckpointReport report = checkpoints.check(given == null ? List.of() : given);
        AuditVerification chain = walk();
        return new AuditVerification(chain.valid() && report.problems().isEmpty(), chain.entries(), chain.headHash(),
                chain.firstInvalid(), report);
    }

    private AuditVerification walk() {
        long expectedSeq = 1;
        String prevHash = AuditChain.GENESIS;
        long checked = 0;
        while (true) {
            List<AuditEntry> batch = batchAfter(expectedSeq - 1, VERIFY_BATCH);
            if (batch.isEmpty()) {
                return new AuditVerification(true, checked, prevHash, null, null);
            }
            for (AuditEntry e : batch) {
                String problem = null;
                if (e.seq != expectedSeq) {
                    problem = "sequence gap: expected " + expectedSeq + ", found " + e.seq;
                } else if (!e.prevHash.equals(prevHash)) {
                    problem = "prev_hash does not match the hash of entry " + (e.seq - 1);
                } else if (!AuditChain.hash(prevHash, rowOf(e)).equals(e.hash)) {
                    problem = "content does not match its hash (the row was changed)";
                }
                if (problem != null) {
                    return new AuditVerification(false, checked, null, new AuditVerification.Invalid(e.seq, problem), null);
                }
                prevHash = e.hash;
                expectedSeq++;
                checked++;
            }
            em.clear(); // keep memory flat on long chains
        }
    }

    static AuditChain.Row rowOf(AuditEntry e) {
        return new AuditChain.Row(e.seq, e.occurredAt, e.actor, e.roles, e.department, e.sourceIp, e.requestId,
                e.action, e.objectType, e.objectId, AuditChain.recanonical(e.beforeState), AuditChain.recanonical(e.afterState));
    }
}
