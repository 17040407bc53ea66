package com.mailgov.audit;

import com.mailgov.web.ApiException;
import com.mailgov.web.Cursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The cursor list name of audit pages. */
    public static final String PAGES_NAME = "audit";

    /** Newest first, a page at a time: a cursor's next page holds older entries, its previous page newer ones. */
    @Transactional
    public Cursor.Page<AuditEntryView> page(Filter filter, Cursor cursor, int limit) {
        Long seq = cursor == null ? null : cursor.number(0);
        boolean newer = cursor != null && cursor.back();
        List<AuditEntry> rows = query(filter, newer ? null : seq, newer ? seq : null, limit + 1);
        return Cursor.Page.of(rows, limit, cursor).map(AuditEntryView::of);
    }

    /** Entries below {@code beforeSeq} newest first, or above {@code afterSeq} oldest first (the page before, reversed by the caller). */
    private List<AuditEntry> query(Filter filter, Long beforeSeq, Long afterSeq, int limit) {
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
        if (afterSeq != null) {
            jpql.append(" AND e.seq > :afterSeq ORDER BY e.seq ASC");
            params.put("afterSeq", afterSeq);
        } else {
            jpql.append(" ORDER BY e.seq DESC");
        }
        TypedQuery<AuditEntry> query = em.createQuery(jpql.toString(), AuditEntry.class).setMaxResults(limit);
        params.forEach(query::setParameter);
        return query.getResultList();
    }

    /** Oldest first, for export and verification. */
    @Transactional
    public List<AuditEntry> batchAfter(long afterSeq, int size) {
        return em.createQuery("FROM AuditEntry e WHERE e.seq > :after ORDER BY e.seq", AuditEntry.class)
                .setParameter("after", afterSeq)
                .setMaxResults(size)
                .getResultList();
    }

    private final VerifiedHead verified = new VerifiedHead();

    /**
     * Walks the whole chain: sequence without gaps, each prev_hash equal to the previous hash, each
     * hash equal to the recomputed one, and names the first row where any of that fails. Then compares
     * the chain with the stored checkpoints and the given ones (copies kept outside the database): a
     * chain rewritten with recomputed hashes, or cut short, passes the walk but not them. The only
     * check that finds a changed old entry; {@link #verifyNew()} then builds on its result.
     */
    @Transactional
    public AuditVerification verify(List<AuditCheckpoint.CheckpointView> given) {
        AuditCheckpoints.CheckpointReport report = checkpoints.check(given == null ? List.of() : given);
        AuditVerification chain = verified.remember(walk(0, AuditChain.GENESIS, null), true);
        return new AuditVerification(chain.valid() && report.problems().isEmpty(), chain.entries(), chain.headHash(),
                chain.firstInvalid(), report, null);
    }

    /**
     * Hashes only the entries written since the last walk on this replica (the audit page calls this
     * on every view: rehashing a long chain per view does not scale). It also re-hashes the last
     * entry verified before and compares it with the remembered hash, so a rewritten tail is found;
     * a change to an older entry is found by {@link #verify()} only. Without a remembered walk (a
     * fresh replica) it walks the whole chain.
     */
    @Transactional
    public AuditVerification verifyNew() {
        VerifiedHead.Known known = verified.known();
        if (known == null) {
            return verify(List.of());
        }
        if (known.failure() != null) {
            return known.failure();
        }
        if (known.seq() > 0) {
            AuditEntry head = em.find(AuditEntry.class, known.seq());
            if (head == null || !known.hash().equals(head.hash) || !AuditChain.hash(head.prevHash, rowOf(head)).equals(head.hash)) {
                return verified.remember(new AuditVerification(false, known.seq() - 1, null, new AuditVerification.Invalid(known.seq(),
                        "the entry changed since it was verified (its hash is not the one verified)"), known.seq()), false);
            }
        }
        return verified.remember(walk(known.seq(), known.hash(), known.seq()), false);
    }

    /**
     * When this replica last walked the whole chain and compared it with the signed checkpoints
     * ({@link #verify}), empty if not since it started: the audit page says so beside its cheaper check.
     */
    public Optional<Instant> lastFullVerification() {
        return Optional.ofNullable(verified.fullAt());
    }

    /** Checks the entries after {@code afterSeq}, whose hash is {@code prevHash}. */
    private AuditVerification walk(long afterSeq, String prevHash, Long resumedAfter) {
        long expectedSeq = afterSeq + 1;
        long checked = afterSeq;
        while (true) {
            List<AuditEntry> batch = batchAfter(expectedSeq - 1, VERIFY_BATCH);
            if (batch.isEmpty()) {
                return new AuditVerification(true, checked, prevHash, null, resumedAfter);
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
                    return new AuditVerification(false, checked, null, new AuditVerification.Invalid(e.seq, problem), resumedAfter);
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
