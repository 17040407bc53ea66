package com.mailgov.push.pipeline;

import com.mailgov.json.Json;
import com.mailgov.audit.AuditLog;
import com.mailgov.config.MailgovConfig;
import com.mailgov.outbox.LeasedQueue;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.server.MailServer;
import com.mailgov.security.Actor;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;

/**
 * Runs due push jobs. Jobs are claimed with FOR UPDATE SKIP LOCKED and a lease, so replicas never
 * run the same job at once and a crashed worker's job is taken over when its lease ends. Server
 * calls happen outside transactions. Retryable failures back off exponentially; a job that keeps
 * failing, or fails for a reason retrying cannot fix, becomes FAILED and so does its change request.
 */
@ApplicationScoped
public class PushWorker {

    private static final Logger LOG = Logger.getLogger(PushWorker.class);
    // one claim takes this many due jobs of a server; the scoped ones are applied in one pass (runTogether).
    // With one claim a second, 50 let a busy FILE server fall behind at 60+ approvals/s.
    static final int BATCH = 500;
    // jobs applied together are recorded this many per transaction: each transaction holds the audit
    // chain's lock until it commits, and every job's settling query dirty-checks the whole session
    private static final int RECORD_CHUNK = 25;
    private static final int SHOWN_KEYS = 50;

    @Inject
    EntityManager em;

    @Inject
    Json json;

    @Inject
    MailgovConfig config;

    @Inject
    ServerSync sync;

    @Inject
    AuditLog audit;

    @Inject
    Event<PushSettled> settled;

    @Inject
    MeterRegistry metrics;

    /** Servers are pushed to side by side; the jobs of one server run one after the other, oldest first. */
    private final ExecutorService servers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "mailgov-push");
        t.setDaemon(true);
        return t;
    });

    @PreDestroy
    void stop() {
        servers.shutdownNow();
    }

    /** Servers this process is pushing to now: a long reconcile of one never holds up the others. */
    private final Set<Long> busyServers = ConcurrentHashMap.newKeySet();

    /** The push_job table as a leased queue, grouped by server. */
    private LeasedQueue queue;

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void runDue() {
        Map<Long, List<Long>> claimed;
        do {
            claimed = QuarkusTransaction.requiringNew().call(this::claim);
            claimed.forEach((server, jobs) -> {
                busyServers.add(server);
                running.addAll(jobs); // queued jobs keep their lease too
                CompletableFuture.runAsync(() -> runAll(jobs), servers)
                        .whenComplete((done, failed) -> busyServers.remove(server));
            });
        } while (claimed.values().stream().mapToInt(List::size).sum() == BATCH);
    }

    /** Jobs this process is running now: their leases are renewed, so a long reconcile is not taken over. */
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    @Scheduled(every = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void renewLeases() {
        if (running.isEmpty()) {
            return;
        }
        List<Long> ids = List.copyOf(running);
        QuarkusTransaction.requiringNew().run(() -> queue.renew(ids));
    }

    /** Due jobs of servers this process is not busy with, leased to this worker, by server. */
    Map<Long, List<Long>> claim() {
        return queue.claim(busyServers).byGroup();
    }

    @jakarta.annotation.PostConstruct
    void createQueue() {
        queue = new LeasedQueue(em, "push_job", "server_id", "", BATCH, BATCH, config::push);
    }

    /**
     * Runs one server's claimed jobs, oldest first. Jobs that each name their artifacts are made to
     * match in one pass over the server (one plan, one read and one write of e.g. the FILE server's
     * alias map instead of one per approval) and recorded one by one in one transaction; if that
     * pass fails, each job runs on its own, so one job's failure is never charged to another.
     */
    private void runAll(List<Long> jobs) {
        if (jobs.size() > 1) {
            try {
                if (runTogether(jobs)) {
                    jobs.forEach(running::remove);
                    return;
                }
            } catch (RuntimeException e) {
                LOG.debugf(e, "push jobs %s together failed; running them one by one", jobs);
            }
        }
        jobs.forEach(this::runAndRelease);
    }

    private record Claimed(long id, long serverId, String kind, int attempts, Set<ArtifactKey> scope) {
    }

    /** Whether the jobs were applied together and recorded; false leaves them to be run one by one. */
    private boolean runTogether(List<Long> jobIds) {
        List<Claimed> jobs = QuarkusTransaction.requiringNew().call(() -> {
            List<Claimed> out = new ArrayList<>();
            // one query for the claim instead of one per job (the finds below then read the session)
            em.createQuery("FROM PushJob WHERE id IN :ids", PushJob.class).setParameter("ids", jobIds).getResultList();
            for (long id : jobIds) {
                PushJob j = em.find(PushJob.class, id);
                MailServer s = j == null ? null : em.find(MailServer.class, j.serverId);
                if (s == null || j.scope == null || j.status != PushJob.Status.PENDING) {
                    return null; // gone, or a reconcile of everything: these run on their own
                }
                out.add(new Claimed(j.id, s.id, s.kind.name(), j.attempts, PushOutbox.readScope(json, j.scope)));
            }
            return out;
        });
        if (jobs == null) {
            return false;
        }
        Set<ArtifactKey> scope = new TreeSet<>();
        jobs.forEach(j -> scope.addAll(j.scope()));
        long start = System.nanoTime();
        ServerSync.Result result;
        try {
            result = sync.sync(jobs.get(0).serverId(), scope, true);
        } catch (ConnectorException | RuntimeException e) {
            return false;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // Each difference and change is the first job's that names the artifact, as if they had run one after the other.
        Map<Long, List<Difference>> differences = new LinkedHashMap<>();
        Map<Long, Set<ArtifactKey>> changed = new LinkedHashMap<>();
        jobs.forEach(j -> {
            differences.put(j.id(), new ArrayList<>());
            changed.put(j.id(), new TreeSet<>());
        });
        for (Difference d : result.differences()) {
            ArtifactKey key = new ArtifactKey(d.type(), d.key());
            jobs.stream().filter(j -> j.scope().contains(key)).findFirst().ifPresent(j -> differences.get(j.id()).add(d));
        }
        for (ArtifactKey key : result.changed()) {
            jobs.stream().filter(j -> j.scope().contains(key)).findFirst().ifPresent(j -> changed.get(j.id()).add(key));
        }
        for (int from = 0; from < jobs.size(); from += RECORD_CHUNK) {
            List<Claimed> chunk = jobs.subList(from, Math.min(jobs.size(), from + RECORD_CHUNK));
            QuarkusTransaction.requiringNew().run(() -> {
                for (Claimed j : chunk) {
                    metrics.timer("mailgov.push.job", "kind", j.kind(), "outcome", "applied").record(took);
                    recordIn(j.id(), j.attempts(), new ServerSync.Result(result.revision(), differences.get(j.id()), changed.get(j.id())),
                            null, "applied");
                }
            });
        }
        return true;
    }

    private void runAndRelease(long jobId) {
        try {
            run(jobId);
        } catch (RuntimeException | Error e) {
            // e.g. the database went away while recording: the lease ends and the job is claimed again;
            // the server's next jobs must still run (and stop having their leases renewed)
            LOG.errorf(e, "push job %d could not be recorded; it is retried when its lease ends", jobId);
        } finally {
            running.remove(jobId);
        }
    }

    void run(long jobId) {
        record Claimed(long serverId, String serverName, String kind, String scope, int attempts) {
        }
        Claimed job = QuarkusTransaction.requiringNew().call(() -> {
            PushJob j = em.find(PushJob.class, jobId);
            MailServer s = j == null ? null : em.find(MailServer.class, j.serverId);
            return s == null ? null : new Claimed(s.id, s.name, s.kind.name(), j.scope, j.attempts);
        });
        if (job == null) {
            return;
        }
        long start = System.nanoTime();
        ServerSync.Result result = null;
        ConnectorException failure = null;
        try {
            result = sync.sync(job.serverId(), PushOutbox.readScope(json, job.scope()), true);
        } catch (ConnectorException e) {
            failure = e;
        } catch (RuntimeException e) {
            // a bug or an unexpected answer: keep the job and show what happened instead of losing it
            LOG.errorf(e, "push job %d to %s failed unexpectedly", jobId, job.serverName());
            failure = new ConnectorException(e.getClass().getSimpleName() + ": " + e.getMessage(), true, e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String outcome = failure == null ? "applied" : failure.retryable() && !queue.exhausted(job.attempts()) ? "retry" : "failed";
        metrics.timer("mailgov.push.job", "kind", job.kind(), "outcome", outcome).record(took);
        if (failure != null) {
            LOG.warnf("push job %d to %s, attempt %d: %s", jobId, job.serverName(), job.attempts(), failure.getMessage());
        }
        record(jobId, job.attempts(), result, failure, outcome);
    }

    private void record(long jobId, int attempts, ServerSync.Result result, ConnectorException failure, String outcome) {
        QuarkusTransaction.requiringNew().run(() -> recordIn(jobId, attempts, result, failure, outcome));
    }

    /** Records a job's outcome in the caller's transaction. */
    private void recordIn(long jobId, int attempts, ServerSync.Result result, ConnectorException failure, String outcome) {
        PushJob j = em.find(PushJob.class, jobId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (j == null || j.status != PushJob.Status.PENDING) {
            return; // deleted with its server, or finished by a worker that took over an expired lease
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        j.leaseUntil = null;
        MailServer s = em.find(MailServer.class, j.serverId);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("server", s == null ? null : s.name);
        details.put("purpose", j.purpose);
        details.put("attempt", attempts);
        if (j.changeRequestId != null) {
            details.put("changeRequest", j.changeRequestId);
        }
        if ("applied".equals(outcome)) {
            j.status = PushJob.Status.APPLIED;
            j.finishedAt = now;
            j.lastError = null;
            j.changedCount = result.applied();
            details.put("revision", result.revision());
            details.put("changed", result.applied());
            details.put("artifacts", result.differences().stream().limit(SHOWN_KEYS)
                    .map(d -> d.type() + ":" + d.key() + " " + d.problem()).toList());
            audit.record(Actor.system(), "push.applied", "PUSH_JOB", j.id.toString(), null, details);
        } else {
            String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            j.lastError = message.length() > 1000 ? message.substring(0, 1000) : message;
            if ("failed".equals(outcome)) {
                j.status = PushJob.Status.FAILED;
                j.finishedAt = now;
                details.put("error", j.lastError);
                audit.record(Actor.system(), "push.failed", "PUSH_JOB", j.id.toString(), null, details);
            } else {
                j.nextAttemptAt = queue.nextAttempt(attempts, now);
            }
        }
        if (j.changeRequestId != null && j.status != PushJob.Status.PENDING) {
            settled.fire(new PushSettled(j.changeRequestId));
        }
    }
}
