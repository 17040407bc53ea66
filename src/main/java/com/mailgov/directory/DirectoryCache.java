package com.mailgov.directory;

import com.mailgov.directory.spec.SpecCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The approved directory kept in memory for evaluation. It follows committed revisions by
 * reading only the rows that changed since the revision it holds, so several replicas stay
 * correct: each catches up from the database before it evaluates.
 */
@ApplicationScoped
public class DirectoryCache {

    private final DirectoryState state = new DirectoryState();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean loaded;

    @Inject
    EntityManager em;

    @Inject
    SpecCodec codec;

    /**
     * Catches up to {@code target}, a committed revision. Rows of later (uncommitted) revisions are
     * never read, so a rolled-back approval cannot leak into the cache.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refreshTo(long target) {
        lock.readLock().lock();
        try {
            if (loaded && state.revision() >= target) {
                return;
            }
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            if (!loaded) {
                load(target);
            } else if (state.revision() < target) {
                catchUp(state.revision(), target);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code reader} on a consistent view of the approved directory. */
    public <T> T read(Function<DirectoryView, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(state);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void load(long target) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT kind, object_key, department_code, CAST(spec AS text), from_revision, to_revision
                        FROM directory_object
                        WHERE from_revision <= :t AND (to_revision IS NULL OR to_revision > :t)""", Object[].class)
                .setParameter("t", target)
                .getResultList();
        for (Object[] row : rows) {
            put(row);
        }
        state.revision(target);
        state.historyKnownAfter(target);
        loaded = true;
    }

    private void catchUp(long from, long target) {
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT kind, object_key, department_code, CAST(spec AS text), from_revision, to_revision
                        FROM directory_object
                        WHERE (from_revision > :from AND from_revision <= :t)
                           OR (to_revision > :from AND to_revision <= :t)
                        ORDER BY from_revision""", Object[].class)
                .setParameter("from", from)
                .setParameter("t", target)
                .getResultList();
        // Removals first: an object replaced within the range is closed by one row and opened by another.
        for (Object[] row : rows) {
            ObjectKind kind = ObjectKind.valueOf((String) row[0]);
            Long to = row[5] == null ? null : ((Number) row[5]).longValue();
            if (to != null && to <= target) {
                state.remove(kind, (String) row[1]);
                state.touched(kind, (String) row[1], to);
            }
        }
        for (Object[] row : rows) {
            long fromRev = ((Number) row[4]).longValue();
            Long to = row[5] == null ? null : ((Number) row[5]).longValue();
            if (fromRev > from && (to == null || to > target)) {
                put(row);
            }
        }
        state.revision(target);
    }

    private void put(Object[] row) {
        ObjectKind kind = ObjectKind.valueOf((String) row[0]);
        state.put(new DirectoryEntry((String) row[2], codec.read(kind, (String) row[3])));
        state.touched(kind, (String) row[1], ((Number) row[4]).longValue());
    }
}
