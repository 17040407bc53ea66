package com.mailgov.guard.detect;

import com.mailgov.guard.GuardConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The guard's hot path: turns an observation into edges (after normalising the addresses and
 * attributing automatic replies to the mailbox that sent them), counts them, and answers from the
 * set of edges of open incidents. Everything here is in memory and O(recipients).
 */
@ApplicationScoped
public class LoopGuard implements Decider {

    /** A message held or deferred, waiting to be written. */
    public record Accounted(long incidentId, Verdict.Action action, Observation.Hook hook, String queueId, String messageId,
                            Edge edge, Instant at) {
    }

    static final int MAX_PENDING_ACCOUNTS = 100_000;

    @Inject
    GuardConfig config;

    @Inject
    MeterRegistry metrics;

    private EdgeCounts counts;
    private volatile Map<Edge, Long> blocked = Map.of();
    private volatile Verdict.Action action = Verdict.Action.HOLD;
    private final ConcurrentLinkedQueue<Accounted> accounts = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingAccounts = new AtomicInteger();
    /** An automatic reply was counted since the last beat: the detector should look now. */
    private final java.util.concurrent.atomic.AtomicBoolean urgent = new java.util.concurrent.atomic.AtomicBoolean();
    private Counter observed;
    private Counter held;
    private Counter deferred;
    private Counter unaccounted;

    @PostConstruct
    void init() {
        counts = new EdgeCounts(config.maxTrackedEdges());
        observed = metrics.counter("mailgov.guard.messages", "verdict", "observed");
        held = metrics.counter("mailgov.guard.messages", "verdict", "held");
        deferred = metrics.counter("mailgov.guard.messages", "verdict", "deferred");
        unaccounted = metrics.counter("mailgov.guard.accounts.dropped");
        metrics.gauge("mailgov.guard.edges.blocked", this, g -> g.blocked.size());
        metrics.gauge("mailgov.guard.edges.overflow", this, g -> g.counts.overflow());
    }

    @Override
    public Verdict decide(Observation o) {
        observed.increment();
        String src = source(o);
        if (src == null) {
            return Verdict.PASS;
        }
        boolean automatic = automatic(o);
        if (automatic) {
            urgent.set(true);
        }
        // evidence of what the sender is: an automatic reply's header, else a list's List-Id
        String sample = automatic ? evidence(o) : o.listId() != null ? "List-Id: " + o.listId() : null;
        Map<Edge, Long> block = blocked;
        long incident = 0;
        Edge hit = null;
        for (String r : o.recipients()) {
            String dst = Addresses.normalise(r);
            if (dst == null || dst.isEmpty()) {
                continue;
            }
            Edge edge = new Edge(src, dst);
            counts.add(edge, automatic, sample);
            Long id = block.get(edge);
            if (id != null && incident == 0) {
                incident = id;
                hit = edge;
            }
        }
        if (incident == 0) {
            return Verdict.PASS;
        }
        return new Verdict(action, incident, hit, "loop guard: incident " + incident + " (" + hit + ")");
    }

    @Override
    public void account(Observation o, Verdict verdict) {
        if (verdict.passes()) {
            return;
        }
        (verdict.action() == Verdict.Action.HOLD ? held : deferred).increment();
        if (pendingAccounts.incrementAndGet() > MAX_PENDING_ACCOUNTS) {
            pendingAccounts.decrementAndGet();
            unaccounted.increment();
            return;
        }
        accounts.add(new Accounted(verdict.incidentId(), verdict.action(), o.hook(), o.queueId(), o.messageId(),
                verdict.edge(), Instant.now()));
    }

    /**
     * Who sent it, as a node: the normalised envelope sender; for an automatic message from the
     * null sender or a system address, the mailbox it answers for (Pigeonhole's
     * {@code Auto-Submitted: auto-notified; owner-email="..."}, else the From header). The null
     * sender with nothing better stays "&lt;&gt;".
     */
    static String source(Observation o) {
        String env = Addresses.normalise(o.envelopeSender());
        if (env == null) {
            return null;
        }
        if (!env.isEmpty() && !Addresses.system(env)) {
            return env;
        }
        String owner = ownerEmail(o.autoSubmitted());
        if (owner != null) {
            return owner;
        }
        String from = Addresses.firstOf(o.fromHeader());
        if (from != null && !from.isEmpty() && !Addresses.system(from)) {
            return from;
        }
        return env.isEmpty() ? "<>" : env;
    }

    static boolean automatic(Observation o) {
        String as = o.autoSubmitted();
        if (as != null && !as.isBlank() && !as.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
            return true;
        }
        String env = o.envelopeSender() == null ? "" : o.envelopeSender().strip();
        return env.isEmpty() || env.equals("<>");
    }

    private static String evidence(Observation o) {
        if (o.autoSubmitted() != null) {
            return "Auto-Submitted: " + o.autoSubmitted();
        }
        return "null envelope sender";
    }

    static String ownerEmail(String autoSubmitted) {
        if (autoSubmitted == null) {
            return null;
        }
        int i = autoSubmitted.toLowerCase(Locale.ROOT).indexOf("owner-email=");
        if (i < 0) {
            return null;
        }
        String rest = autoSubmitted.substring(i + "owner-email=".length()).strip();
        if (rest.startsWith("\"")) {
            int end = rest.indexOf('"', 1);
            rest = end > 0 ? rest.substring(1, end) : rest.substring(1);
        } else {
            int end = rest.indexOf(';');
            rest = end >= 0 ? rest.substring(0, end) : rest;
        }
        String a = Addresses.normalise(rest);
        return a == null || a.isEmpty() ? null : a;
    }

    // ------------------------------------------------------------------ for the detector

    public Map<Edge, EdgeCounts.Count> drainCounts() {
        return counts.drain();
    }

    public List<Accounted> drainAccounts() {
        List<Accounted> out = new ArrayList<>();
        Accounted a;
        while ((a = accounts.poll()) != null) {
            pendingAccounts.decrementAndGet();
            out.add(a);
        }
        return out;
    }

    /** Edges of open incidents (edge → incident id) and the action policy asks for. */
    public void block(Map<Edge, Long> edges, Verdict.Action action) {
        this.blocked = Map.copyOf(edges);
        this.action = action;
    }

    public Map<Edge, Long> blocked() {
        return blocked;
    }

    public boolean takeUrgent() {
        return urgent.getAndSet(false);
    }

    public long overflow() {
        return counts.overflow();
    }
}
