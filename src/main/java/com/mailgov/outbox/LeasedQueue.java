package com.mailgov.outbox;

import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A table used as a work queue by several replicas: rows with {@code status = 'PENDING'},
 * {@code next_attempt_at}, {@code lease_until} and {@code attempts}, grouped by a column (the server
 * or endpoint the work is for). Due rows are claimed with {@code FOR UPDATE SKIP LOCKED} and a
 * lease, so two workers never hold the same row and a crashed worker's rows are taken over once
 * its lease ends; every claim counts as an attempt; failures back off exponentially until the
 * attempts run out. The caller owns the transactions and the work itself.
 */
public final class LeasedQueue {

    private final EntityManager em;
    private final String table;
    private final String group;
    private final String eligibleGroups;
    private final int batch;
    private final int perGroup;
    private final Supplier<QueueSettings> settings;

    /**
     * @param table          the queue table
     * @param group          the column rows are grouped by (one worker per group at a time)
     * @param eligibleGroups an SQL join that keeps only groups that may be served now ({@code q} is the
     *                       queue row), or empty
     * @param batch          most rows per claim
     * @param perGroup       most rows of one group per claim
     * @param settings       read on every use, so configuration is read where it is defined
     */
    public LeasedQueue(EntityManager em, String table, String group, String eligibleGroups, int batch, int perGroup,
                       Supplier<QueueSettings> settings) {
        this.em = em;
        this.table = table;
        this.group = group;
        this.eligibleGroups = eligibleGroups;
        this.batch = batch;
        this.perGroup = perGroup;
        this.settings = settings;
    }

    /** Rows claimed together: by group, oldest first, all under one lease. */
    public record Claim(Instant lease, Map<Long, List<Long>> byGroup) {

        public int size() {
            return byGroup.values().stream().mapToInt(List::size).sum();
        }
    }

    /**
     * Claims due rows of groups not in {@code skipGroups} (the ones this worker is busy with), at
     * most {@code perGroup} of one group, {@code batch} in all, in the order they became due; each
     * claimed row's attempts go up by one. Runs in the caller's transaction.
     */
    @SuppressWarnings("unchecked")
    public Claim claim(Set<Long> skipGroups) {
        Instant lease = Instant.now().plus(settings.get().lease()).truncatedTo(ChronoUnit.MICROS);
        String skip = skipGroups.stream().map(String::valueOf).collect(Collectors.joining(","));
        List<Object[]> rows = em.createNativeQuery("""
                        UPDATE %1$s SET lease_until = :lease, attempts = attempts + 1
                        WHERE id IN (SELECT id FROM %1$s
                                     WHERE id IN (SELECT c.id FROM (
                                                    SELECT q.id, row_number() OVER (PARTITION BY q.%2$s
                                                                                    ORDER BY q.next_attempt_at, q.id) AS n
                                                    FROM %1$s q %3$s
                                                    WHERE q.status = 'PENDING' AND q.next_attempt_at <= now()
                                                      AND (q.lease_until IS NULL OR q.lease_until < now())
                                                      AND NOT (q.%2$s = ANY (string_to_array(:skip, ',')::bigint[]))) c
                                                  WHERE c.n <= :perGroup)
                                       AND status = 'PENDING' AND (lease_until IS NULL OR lease_until < now())
                                     ORDER BY next_attempt_at, id
                                     FOR UPDATE SKIP LOCKED LIMIT :batch)
                        RETURNING id, %2$s""".formatted(table, group, eligibleGroups))
                .setParameter("lease", lease)
                .setParameter("skip", skip)
                .setParameter("perGroup", perGroup)
                .setParameter("batch", batch)
                .getResultList();
        Map<Long, List<Long>> byGroup = new TreeMap<>();
        rows.stream().sorted(Comparator.comparingLong(r -> ((Number) r[0]).longValue()))
                .forEach(r -> byGroup.computeIfAbsent(((Number) r[1]).longValue(), k -> new ArrayList<>())
                        .add(((Number) r[0]).longValue()));
        return new Claim(lease, byGroup);
    }

    /**
     * Extends the leases of rows this worker is still working on by the configured lease (transaction
     * of the caller). Rows locked right now are skipped: the worker is recording their outcome, which
     * ends the lease anyway. Waiting for them instead deadlocked with that recording (it locks rows
     * one by one, this statement many at once in another order): 25 deadlocks in a 10-minute load run.
     */
    public void renew(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        em.createNativeQuery("UPDATE " + table + " SET lease_until = :lease WHERE id IN (SELECT id FROM " + table
                        + " WHERE id IN (:ids) AND status = 'PENDING' ORDER BY id FOR NO KEY UPDATE SKIP LOCKED)")
                .setParameter("lease", Instant.now().plus(settings.get().lease()))
                .setParameter("ids", ids)
                .executeUpdate();
    }

    /**
     * Extends one row's lease by {@code duration} from now, only if it still carries the lease of
     * this worker's claim: false when the claim expired and another worker owns the row now.
     */
    public boolean renewIfStillOurs(long id, Instant claimedLease, Duration duration) {
        return em.createNativeQuery("UPDATE " + table + """
                         SET lease_until = :renewed
                        WHERE id = :id AND status = 'PENDING' AND lease_until = :claimed""")
                .setParameter("renewed", Instant.now().plus(duration))
                .setParameter("id", id)
                .setParameter("claimed", claimedLease)
                .executeUpdate() == 1;
    }

    /** Whether a row that failed its {@code attempts}-th attempt is given up (FAILED) rather than retried. */
    public boolean exhausted(int attempts) {
        return attempts >= settings.get().maxAttempts();
    }

    /** When a row that failed its {@code attempts}-th attempt is due again: first-retry-delay, doubled per attempt, capped. */
    public Instant nextAttempt(int attempts, Instant now) {
        return now.plus(backoff(attempts));
    }

    public Duration backoff(int attempts) {
        QueueSettings s = settings.get();
        return Backoff.after(attempts, s.firstRetryDelay(), s.maxRetryDelay());
    }
}
