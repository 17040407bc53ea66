package com.mailgov.push.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.mailgov.json.Json;
import com.mailgov.audit.AuditLog;
import com.mailgov.directory.ObjectChange;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ArtifactType;
import com.mailgov.push.server.MailServer;
import com.mailgov.push.server.MailServerService;
import com.mailgov.push.server.ServerMode;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Writes push jobs in the caller's transaction (the approval's), so an approved change and the
 * work of pushing it commit together or not at all.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class PushOutbox {

    @Inject
    Json json;

    @Inject
    AuditLog audit;

    @Inject
    MailServerService servers;

    /** Per server: where a change request's push stands. */
    public record PushView(long job, String server, String serverKind, PushJob.Status status, int attempts,
                           String lastError, Integer changed, Instant nextAttemptAt, Instant finishedAt) {
    }

    /**
     * One job per enabled ENFORCE server that holds any artifact the changes touch; returns them as
     * {@link #forChange} would (a request gets its jobs only here, so these are all of its jobs).
     * OBSERVE servers get none: they are only read.
     */
    public List<PushView> enqueueForChange(UUID changeRequest, long revision, Collection<ObjectChange> changes, Actor actor) {
        Set<ArtifactKey> affected = DesiredState.affectedBy(changes);
        List<PushView> jobs = new java.util.ArrayList<>();
        // Servers are not changed in an approval's transaction: no flush (and no dirty check of its session) first.
        List<MailServer> enforced = MailServer.getEntityManager()
                .createQuery("FROM MailServer WHERE enabled = true AND mode = :mode ORDER BY id", MailServer.class)
                .setParameter("mode", ServerMode.ENFORCE)
                .setFlushMode(FlushModeType.COMMIT)
                .getResultList();
        for (MailServer server : enforced) {
            ServedDomains served = ServedDomains.of(servers.options(server).get("domains"));
            Set<ArtifactKey> scope = new TreeSet<>();
            affected.stream().filter(k -> server.kind.handles().contains(k.type()) && served.serves(k)).forEach(scope::add);
            if (server.kind.handles().contains(ArtifactType.USER_SIEVE)) {
                // the mailbox's own active script decides how mailgov's vacation may be added; reading it costs nothing extra
                scope.stream().filter(k -> k.type() == ArtifactType.VACATION).toList()
                        .forEach(k -> scope.add(new ArtifactKey(ArtifactType.USER_SIEVE, k.key())));
            }
            if (!scope.isEmpty()) {
                jobs.add(view(persist(server.id, changeRequest, PushJob.Purpose.CHANGE, scope, revision, actor), server));
            }
        }
        return jobs;
    }

    /** A reconcile of everything ({@code scope} null) or of the given artifacts; only for ENFORCE servers. */
    public PushJob enqueueReconcile(MailServer server, Set<ArtifactKey> scope, Actor actor) {
        if (server.mode != ServerMode.ENFORCE) {
            throw new ApiException(ProblemType.INVALID_STATE, "Server " + server.name + " is in OBSERVE mode: mailgov only reads it."
                    + " Review its plan (GET /api/v1/mail-servers/" + server.id + "/plan) and confirm it to switch to ENFORCE.");
        }
        PushJob job = persist(server.id, null, PushJob.Purpose.RECONCILE, scope, 0, actor);
        audit.record(actor, "server.reconcile_queued", "MAIL_SERVER", server.id.toString(), null,
                Map.of("job", job.id, "server", server.name, "artifacts", scope == null ? "all" : scope.size()));
        return job;
    }

    public PushJob enqueueReconcile(MailServer server, Actor actor) {
        return enqueueReconcile(server, null, actor);
    }

    /** Drops the pending jobs of a server that stops being written to; returns the change requests they held up. */
    public List<UUID> dropPending(long serverId) {
        List<UUID> waiting = PushJob.<PushJob>list("serverId = ?1 AND status = ?2 AND changeRequestId IS NOT NULL",
                serverId, PushJob.Status.PENDING).stream().map(j -> j.changeRequestId).distinct().toList();
        PushJob.delete("serverId = ?1 AND status = ?2", serverId, PushJob.Status.PENDING);
        return waiting;
    }

    /** Puts a FAILED job back in the queue. */
    public PushJob retry(long jobId, Actor actor) {
        PushJob job = PushJob.findById(jobId);
        if (job == null) {
            throw ApiException.notFound("Push job " + jobId);
        }
        if (job.status != PushJob.Status.FAILED) {
            throw new ApiException(ProblemType.INVALID_STATE, "Only a FAILED job can be retried; this one is " + job.status);
        }
        job.status = PushJob.Status.PENDING;
        job.attempts = 0;
        job.nextAttemptAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        job.leaseUntil = null;
        job.finishedAt = null;
        audit.record(actor, "push.retry_requested", "PUSH_JOB", job.id.toString(), Map.of("status", "FAILED"),
                Map.of("status", "PENDING"));
        return job;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PushView> forChange(UUID changeRequest) {
        return views(PushJob.list("changeRequestId = ?1 ORDER BY id", changeRequest));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PushView> forServer(long serverId, int limit) {
        return views(PushJob.find("serverId = ?1 ORDER BY id DESC", serverId).page(0, limit).list());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long pendingFor(long serverId) {
        return PushJob.count("serverId = ?1 AND status = ?2", serverId, PushJob.Status.PENDING);
    }

    private List<PushView> views(List<PushJob> jobs) {
        Map<Long, MailServer> servers = new java.util.HashMap<>();
        return jobs.stream().map(j -> view(j, servers.computeIfAbsent(j.serverId, id -> MailServer.findById(id)))).toList();
    }

    private static PushView view(PushJob j, MailServer s) {
        return new PushView(j.id, s == null ? "(deleted)" : s.name, s == null ? null : s.kind.name(), j.status,
                j.attempts, j.lastError, j.changedCount, j.status == PushJob.Status.PENDING ? j.nextAttemptAt : null,
                j.finishedAt);
    }

    private PushJob persist(long serverId, UUID changeRequest, PushJob.Purpose purpose, Set<ArtifactKey> scope,
                            long revision, Actor actor) {
        PushJob job = new PushJob();
        job.serverId = serverId;
        job.changeRequestId = changeRequest;
        job.purpose = purpose;
        job.scope = scope == null ? null : writeScope(scope);
        job.targetRevision = revision;
        job.status = PushJob.Status.PENDING;
        job.createdBy = actor.username();
        job.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        job.nextAttemptAt = job.createdAt;
        job.persist();
        return job;
    }

    String writeScope(Set<ArtifactKey> scope) {
        return json.write(scope.stream().map(ArtifactKey::toString).toList());
    }

    static Set<ArtifactKey> readScope(Json json, String scope) {
        if (scope == null) {
            return null;
        }
        Set<ArtifactKey> keys = new TreeSet<>();
        for (String k : json.read(scope, SCOPE)) {
            int colon = k.indexOf(':');
            keys.add(new ArtifactKey(ArtifactType.parse(k.substring(0, colon)), k.substring(colon + 1)));
        }
        return keys;
    }

    private static final TypeReference<List<String>> SCOPE = new TypeReference<>() {
    };
}
