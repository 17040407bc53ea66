package com.mailgov.policy.facts;

import com.mailgov.directory.DirectoryView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of observed, unmanaged facts the loop engine adds to the directory it checks.
 * Each reporter replaces its own facts as a whole ({@code replace("dovecot:3", facts)}), so a
 * re-read of a server drops what is gone. Managed objects win over facts with the same key: once
 * an import is approved, the directory's own object is what the rules see.
 */
@ApplicationScoped
public class LoopFacts {

    @Inject
    Instance<LoopFactSource> sources;

    /** Null outside CDI (plain unit tests, benchmarks): then the facts live in memory only. */
    @Inject
    LoopFactStore store;

    private volatile boolean loaded;

    private final Map<String, List<ObservedFact>> bySource = new ConcurrentHashMap<>();
    private volatile FactIndex snapshot;
    private volatile List<ObservedFact> snapshotBeanFacts = List.of();

    /** Replaces every fact reported by {@code source}. */
    public void replace(String source, Collection<ObservedFact> facts) {
        load();
        List<ObservedFact> copy = List.copyOf(facts);
        if (store != null) {
            store.save(source, copy);
        }
        synchronized (this) {
            bySource.put(source, copy);
            snapshot = null;
        }
    }

    public void clear(String source) {
        load();
        if (store != null) {
            store.delete(source);
        }
        synchronized (this) {
            bySource.remove(source);
            snapshot = null;
        }
    }

    /** What earlier runs stored, once per process (a restart keeps what imports found). */
    private void load() {
        if (loaded) {
            return;
        }
        synchronized (this) {
            if (!loaded && store != null) {
                store.loadAll().forEach(bySource::putIfAbsent);
                snapshot = null;
            }
            loaded = true;
        }
    }

    /** Every fact now known, from fed reporters and from source beans. */
    public FactIndex snapshot() {
        load();
        boolean hasBeans = sources != null && !sources.isUnsatisfied();
        List<ObservedFact> fromBeans = new ArrayList<>();
        if (hasBeans) {
            sources.forEach(src -> fromBeans.addAll(src.facts()));
        }
        // Rebuilt only when something changed: an import feeds tens of thousands of facts, and every
        // evaluation asks (rebuilding on each call made a 10k-mailbox import spend its time here).
        FactIndex s = snapshot;
        if (s != null && fromBeans.equals(snapshotBeanFacts)) {
            return s;
        }
        synchronized (this) {
            List<ObservedFact> all = new ArrayList<>();
            bySource.values().forEach(all::addAll);
            all.addAll(fromBeans);
            s = new FactIndex(all);
            snapshotBeanFacts = fromBeans;
            snapshot = s;
            return s;
        }
    }

    /** {@code view} with the facts laid under it (the directory's own objects win). */
    public DirectoryView over(DirectoryView view) {
        FactIndex s = snapshot();
        return s.isEmpty() ? view : new FactView(view, s);
    }
}
