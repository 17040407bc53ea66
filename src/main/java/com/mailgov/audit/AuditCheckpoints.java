package com.mailgov.audit;

import com.mailgov.config.MailgovConfig;
import com.mailgov.web.ApiException;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Signs the audit chain head now and then (every {@code mailgov.audit.checkpoint-interval} or
 * {@code checkpoint-every-entries}, only when the chain grew) and checks checkpoints against the
 * chain. A checkpoint goes to the log, to webhooks ({@code audit.checkpoint}, via a CDI event) and
 * to the audit_checkpoint table; the first two are copies the database owner cannot reach, and
 * verify compares the chain with any of them it is given.
 */
@ApplicationScoped
public class AuditCheckpoints {

    /** Advisory lock key for signing ("mailgov-ckpt"): one replica signs at a time. */
    private static final long SIGNING_LOCK = 0x6d67636b_70740001L;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_PROBLEMS = 100;
    private static final int BATCH = 2000;

    @Inject
    EntityManager em;

    @Inject
    AuditSigningKey key;

    @Inject
    MailgovConfig config;

    @Inject
    Event<AuditCheckpoint> published;

    /** One checkpoint found not to fit the chain (or not genuine). */
    public record CheckpointProblem(long seq, String source, String kind, String detail) {
    }

    /** What verify found about checkpoints: how many were compared, and what did not fit. */
    public record CheckpointReport(int given, int stored, int storedOfOtherKeys, List<CheckpointProblem> problems) {
    }

    @Scheduled(every = "${mailgov.audit.checkpoint-poll:PT15S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void signWhenDue() {
        QuarkusTransaction.requiringNew().run(() -> sign(false));
    }

    /** Signs the head now unless the newest checkpoint already covers it; returns the newest checkpoint. */
    @Transactional
    public Optional<AuditCheckpoint> signNow() {
        return sign(true);
    }

    private Optional<AuditCheckpoint> sign(boolean now) {
        if (now) {
            em.createNativeQuery("SELECT pg_advisory_xact_lock(:key)").setParameter("key", SIGNING_LOCK).getSingleResult();
        } else if (!(Boolean) em.createNativeQuery("SELECT pg_try_advisory_xact_lock(:key)")
                .setParameter("key", SIGNING_LOCK).getSingleResult()) {
            return Optional.empty(); // another replica is signing
        }
        Object[] head = (Object[]) em.createNativeQuery("SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
                .getResultStream().findFirst().orElse(null);
        Optional<AuditCheckpoint> last = newest();
        if (head == null) {
            return last;
        }
        long seq = ((Number) head[0]).longValue();
        String hash = (String) head[1];
        if (last.isPresent()) {
            AuditCheckpoint l = last.get();
            String hashThen = hashAt(l.seq());
            if (!l.headHash().equals(hashThen)) {
                // Never certify a chain that contradicts our own last checkpoint: it was cut or rewritten.
                Log.errorf("audit chain does not match checkpoint seq=%d (entry %s): not signing; run GET /api/v1/audit/verify",
                        l.seq(), hashThen == null ? "missing" : "changed");
                if (now) {
                    throw new ApiException(ProblemType.CONFLICT, "The audit chain no longer matches checkpoint " + l.seq()
                            + "; nothing was signed. GET /api/v1/audit/verify names what changed");
                }
                return last;
            }
            boolean due = now || seq - l.seq() >= config.audit().checkpointEveryEntries()
                    || !l.signedAt().plus(config.audit().checkpointInterval()).isAfter(Instant.now());
            if (seq == l.seq() || !due) {
                return last;
            }
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AuditCheckpoint unsigned = new AuditCheckpoint(seq, hash, at, key.keyId(), null);
        AuditCheckpoint checkpoint = new AuditCheckpoint(seq, hash, at, key.keyId(), key.sign(unsigned.statement()));
        em.createNativeQuery("INSERT INTO audit_checkpoint (seq, head_hash, signed_at, key_id, signature)"
                        + " VALUES (:seq, :hash, :at, :key, :sig)")
                .setParameter("seq", checkpoint.seq())
                .setParameter("hash", checkpoint.headHash())
                .setParameter("at", checkpoint.signedAt())
                .setParameter("key", checkpoint.keyId())
                .setParameter("sig", checkpoint.signature())
                .executeUpdate();
        published.fire(checkpoint);
        Log.info(checkpoint.logLine());
        return Optional.of(checkpoint);
    }

    /** Stored checkpoints, newest first. */
    @Transactional
    public List<AuditCheckpoint> list(Long beforeSeq, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT seq, head_hash, signed_at, key_id, signature FROM audit_checkpoint"
                        + " WHERE seq < :before ORDER BY seq DESC")
                .setParameter("before", beforeSeq == null ? Long.MAX_VALUE : beforeSeq)
                .setMaxResults(limit)
                .getResultList();
        return rows.stream().map(AuditCheckpoints::checkpoint).toList();
    }

    /**
     * Checks checkpoints held outside the database and every stored one against the chain as it is
     * now. A given checkpoint whose signature does not verify is refused (400, nothing checked): it
     * is not evidence. A stored one that does not verify is reported: someone wrote it into the table.
     */
    @Transactional
    public CheckpointReport check(List<AuditCheckpoint.CheckpointView> given) {
        List<AuditCheckpoint> genuine = genuine(given);
        List<CheckpointProblem> problems = new ArrayList<>();
        long length = ((Number) em.createNativeQuery("SELECT COALESCE(max(seq), 0) FROM audit_entry").getSingleResult()).longValue();
        for (AuditCheckpoint c : genuine) {
            compare(c, hashAt(c.seq()), length, "given", problems);
        }
        int stored = 0;
        int otherKeys = 0;
        long after = 0;
        while (true) {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                            SELECT c.seq, c.head_hash, c.signed_at, c.key_id, c.signature, e.hash
                            FROM audit_checkpoint c LEFT JOIN audit_entry e ON e.seq = c.seq
                            WHERE c.seq > :after ORDER BY c.seq""")
                    .setParameter("after", after)
                    .setMaxResults(BATCH)
                    .getResultList();
            if (rows.isEmpty()) {
                break;
            }
            for (Object[] row : rows) {
                AuditCheckpoint c = checkpoint(row);
                after = c.seq();
                stored++;
                if (!c.keyId().equals(key.keyId())) {
                    otherKeys++; // signed before a key change: check it offline with that key
                } else if (!key.verifies(c.statement(), c.signature())) {
                    add(problems, new CheckpointProblem(c.seq(), "stored", "bad-signature",
                            "the stored checkpoint's signature does not verify: it was written or changed in the database"));
                } else {
                    compare(c, (String) row[5], length, "stored", problems);
                }
            }
        }
        return new CheckpointReport(genuine.size(), stored, otherKeys, problems);
    }

    private List<AuditCheckpoint> genuine(List<AuditCheckpoint.CheckpointView> given) {
        List<AuditCheckpoint> out = new ArrayList<>();
        List<Problem.FieldError> malformed = new ArrayList<>();
        List<Problem.FieldError> forged = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            AuditCheckpoint.CheckpointView v = given.get(i);
            String f = "checkpoints[" + i + "]";
            if (v == null) {
                malformed.add(new Problem.FieldError(f, "must be a checkpoint object"));
                continue;
            }
            Instant at = null;
            try {
                at = v.signedAt() == null ? null : Instant.parse(v.signedAt());
            } catch (DateTimeParseException e) {
                // reported below
            }
            if (v.seq() == null || v.seq() < 1) {
                malformed.add(new Problem.FieldError(f + ".seq", "must be a positive entry number"));
            } else if (v.headHash() == null || !HASH.matcher(v.headHash()).matches()) {
                malformed.add(new Problem.FieldError(f + ".headHash", "must be 64 lower-case hex digits"));
            } else if (at == null) {
                malformed.add(new Problem.FieldError(f + ".signedAt", "must be an ISO-8601 instant as signed"));
            } else if (v.keyId() == null || v.signature() == null) {
                malformed.add(new Problem.FieldError(f + (v.keyId() == null ? ".keyId" : ".signature"), "is required"));
            } else if (!v.keyId().equals(key.keyId())) {
                malformed.add(new Problem.FieldError(f + ".keyId", "was signed by key " + v.keyId()
                        + ", not this service's key " + key.keyId() + "; check it offline with that key's public key"));
            } else {
                AuditCheckpoint c = new AuditCheckpoint(v.seq(), v.headHash(), at, v.keyId(), v.signature());
                if (key.verifies(c.statement(), c.signature())) {
                    out.add(c);
                } else {
                    forged.add(new Problem.FieldError(f + ".signature",
                            "does not verify with the audit signing key: the checkpoint is forged or was altered"));
                }
            }
        }
        if (!forged.isEmpty()) {
            throw new ApiException(ProblemType.CHECKPOINT_SIGNATURE_INVALID, forged.get(0).field() + ": " + forged.get(0).message(),
                    forged, Map.of());
        }
        if (!malformed.isEmpty()) {
            throw ApiException.invalid(malformed);
        }
        return out;
    }

    private static void compare(AuditCheckpoint c, String hashNow, long length, String source, List<CheckpointProblem> problems) {
        if (hashNow == null) {
            add(problems, new CheckpointProblem(c.seq(), source, "truncated", "the chain ends at entry " + length
                    + ", but it had " + c.seq() + " entries when this checkpoint was signed (" + c.signedAt()
                    + "): entries were removed"));
        } else if (!hashNow.equals(c.headHash())) {
            add(problems, new CheckpointProblem(c.seq(), source, "rewritten", "entry " + c.seq() + " now has hash " + hashNow
                    + ", the checkpoint signed " + c.headHash() + ": the chain was rewritten at or before entry " + c.seq()));
        }
    }

    private static void add(List<CheckpointProblem> problems, CheckpointProblem p) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
        }
    }

    private Optional<AuditCheckpoint> newest() {
        return list(null, 1).stream().findFirst();
    }

    private String hashAt(long seq) {
        return (String) em.createNativeQuery("SELECT hash FROM audit_entry WHERE seq = :seq").setParameter("seq", seq)
                .getResultStream().findFirst().orElse(null);
    }

    private static AuditCheckpoint checkpoint(Object[] row) {
        Object at = row[2];
        Instant signedAt = at instanceof Instant i ? i : at instanceof java.time.OffsetDateTime o ? o.toInstant()
                : ((java.sql.Timestamp) at).toInstant();
        return new AuditCheckpoint(((Number) row[0]).longValue(), (String) row[1], signedAt, (String) row[3], (String) row[4]);
    }
}
