package com.mailgov.guard.incident;

import com.mailgov.guard.GuardConfig;
import com.mailgov.guard.detect.CycleFinder;
import com.mailgov.guard.detect.Edge;
import com.mailgov.guard.detect.EdgeCounts;
import com.mailgov.guard.detect.EdgeStore;
import com.mailgov.guard.detect.GuardPolicy;
import com.mailgov.guard.detect.LoopGuard;
import com.mailgov.guard.detect.Verdict;
import com.mailgov.policy.Policy;
import com.mailgov.policy.PolicyStore;
import com.mailgov.policy.RuleConfig;
import com.mailgov.security.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The guard's heartbeat, on every replica: write local counts to the shared window, search the
 * window for loops, open incidents, refresh the edges the hot path holds, release and close what
 * was stopped, remind overdue reviews. A failure in one beat is logged; the next beat retries.
 */
@ApplicationScoped
public class GuardTicker {

    private static final Logger LOG = Logger.getLogger(GuardTicker.class);
    static final int MAX_CYCLE_EDGES = 8;

    @Inject
    GuardConfig config;

    @Inject
    LoopGuard guard;

    @Inject
    EdgeStore edges;

    @Inject
    IncidentService incidents;

    @Inject
    HeldRelease release;

    @Inject
    EmergencyStop emergencyStop;

    @Inject
    PolicyStore policies;

    @Inject
    GuardPolicy guardPolicy;

    @Inject
    com.mailgov.guard.detect.ObservedSubscriptions subscriptions;

    private volatile boolean stopping;
    private final String node = nodeName();
    private long beats;

    private java.util.concurrent.ScheduledExecutorService timer;

    void onStart(@Observes io.quarkus.runtime.StartupEvent event) {
        if (config.enabled()) {
            // its own thread: Quarkus' scheduler runs nothing more often than once a second
            timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "loop-guard-beat");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::scheduled, 1000, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private volatile long lastBeat;

    /**
     * Every quarter second: a beat when the flush interval has passed, or at once when the hot path
     * saw an automatic reply since the last beat (the start of a loop should not wait a full interval).
     */
    void scheduled() {
        if (!config.enabled() || stopping) {
            return;
        }
        long now = System.nanoTime();
        if (guard.takeUrgent() || now - lastBeat >= config.flushInterval().toNanos()) {
            lastBeat = now;
            beat();
        }
    }

    /** One beat; synchronized so a test or an operator call never overlaps the scheduled one. */
    public synchronized void beat() {
        long started = System.nanoTime();
        try {
            Policy policy = QuarkusTransaction.requiringNew().call(policies::current);
            RuleConfig p = policy.configFor(guardPolicy, null);
            int window = p.param("windowSeconds");
            long now = System.currentTimeMillis();
            long bucket = EdgeStore.bucket(now);

            Map<Edge, EdgeCounts.Count> counts = guard.drainCounts();
            edges.flush(counts, node(), bucket);
            subscriptions.flush();
            List<LoopGuard.Accounted> accounts = guard.drainAccounts();
            if (!accounts.isEmpty()) {
                QuarkusTransaction.requiringNew().run(() -> incidents.saveAccounts(accounts, node()));
            }

            List<CycleFinder.HotEdge> hot = edges.hot(bucket - window / EdgeStore.BUCKET_SECONDS + 1, p.param("hotMessages"),
                    config.maxHotEdges());
            List<Long> autoStops = new java.util.ArrayList<>();
            for (CycleFinder.Cycle cycle : CycleFinder.find(hot, p.param("automatedPercent"), MAX_CYCLE_EDGES)) {
                Optional<LoopIncidentView> opened = QuarkusTransaction.requiringNew()
                        .call(() -> incidents.open(cycle, window, policy.version()));
                opened.ifPresent(i -> {
                    LOG.warnf("loop detected: incident %d, cycle %s", i.id(), i.cycle());
                    long perMinute = cycle.minMessages() * 60 / window;
                    int autoStop = p.param("autoStopPerMinute");
                    if (autoStop > 0 && perMinute > autoStop) {
                        autoStops.add(i.id());
                    }
                });
            }
            Verdict.Action action = p.param("action") == GuardPolicy.ACTION_DEFER ? Verdict.Action.DEFER : Verdict.Action.HOLD;
            guard.block(QuarkusTransaction.requiringNew().call(incidents::openEdges), action);
            // after the block: the cycle is held while a stop waits for its emergency change's push
            for (long id : autoStops) {
                try {
                    emergencyStop.stop(Actor.system(), id);
                } catch (RuntimeException e) {
                    LOG.warnf("automatic emergency stop of incident %d failed: %s", id, e.getMessage());
                }
            }

            release.releaseDue();
            Set<Edge> hotSet = hot.stream().map(CycleFinder.HotEdge::edge).collect(Collectors.toCollection(HashSet::new));
            QuarkusTransaction.requiringNew().call(() -> incidents.closeCooled(hotSet));
            QuarkusTransaction.requiringNew().run(incidents::remindOverdueReviews);
            if (++beats % 30 == 0) {
                edges.prune(bucket - 2L * window / EdgeStore.BUCKET_SECONDS - 2);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (millis > 1000) {
                LOG.infof("loop guard beat took %d ms (%d edges flushed, %d hot)", millis, counts.size(), hot.size());
            }
        } catch (Exception e) {
            if (!stopping) {
                LOG.warnf(e, "loop guard beat failed");
            }
        }
    }

    String node() {
        return config.nodeName().orElse(node);
    }

    private static String nodeName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "node");
        return (host + "-" + ProcessHandle.current().pid());
    }
}
