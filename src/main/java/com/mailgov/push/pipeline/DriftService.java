package com.mailgov.push.pipeline;

import com.mailgov.audit.AuditLog;
import com.mailgov.config.MailgovConfig;
import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.server.MailServer;
import com.mailgov.push.server.MailServerService;
import com.mailgov.security.Actor;
import com.mailgov.webhook.WebhookEvent;
import com.mailgov.webhook.WebhookOutbox;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads servers back and compares them with the approved state — the "someone set an autoreply
 * by hand" check. On request from the API, and periodically for every enabled server; a check that
 * finds a new or changed difference records it in the audit log and sends a drift.detected webhook.
 */
@ApplicationScoped
public class DriftService {

    private static final Logger LOG = Logger.getLogger(DriftService.class);

    @Inject
    ServerSync sync;

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    WebhookOutbox webhooks;

    @Inject
    MailgovConfig config;

    /** Servers being checked on this replica right now. */
    private final java.util.concurrent.ConcurrentMap<Long, Boolean> running = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    DriftFingerprints fingerprints;

    public record DriftReport(long server, String serverName, long revision, Instant checkedAt, int total,
                              List<Difference> differences) {
    }

    /**
     * Reads the whole server now; {@code limit} caps the differences listed (the total is always
     * given). One check per server at a time on this replica: a second caller while one runs gets
     * 429 instead of a second full scan of the server (issue 12 #10).
     */
    public DriftReport check(Actor actor, long serverId, int limit) throws ConnectorException {
        if (running.putIfAbsent(serverId, Boolean.TRUE) != null) {
            throw new ApiException(ProblemType.TOO_MANY_REQUESTS, "A drift check of server " + serverId
                    + " is running; ask again when it has finished", List.of(), Map.of("retryAfterSeconds", 5));
        }
        try {
            return checkNow(actor, serverId, limit);
        } finally {
            running.remove(serverId);
        }
    }

    private DriftReport checkNow(Actor actor, long serverId, int limit) throws ConnectorException {
        String name = QuarkusTransaction.requiringNew().call(() -> MailServerService.find(serverId).name);
        ServerSync.Result result;
        try {
            result = sync.sync(serverId, null, false);
        } catch (ConnectorException e) {
            remember(actor, serverId, null, e.getMessage());
            throw e;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        remember(actor, serverId, result, null);
        return new DriftReport(serverId, name, result.revision(), now, result.differences().size(),
                result.differences().stream().limit(limit).toList());
    }

    /** Each enabled server at most once per interval, across replicas (the claim is a conditional UPDATE). */
    @Scheduled(every = "${mailgov.push.drift-check-interval:PT15M}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void checkAll() {
        @SuppressWarnings("unchecked")
        List<Number> due = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        UPDATE mail_server SET drift_checked_at = now()
                        WHERE enabled AND (drift_checked_at IS NULL OR drift_checked_at < now() - make_interval(secs => :secs))
                        RETURNING id""")
                .setParameter("secs", config.push().driftCheckInterval().toSeconds() * 0.9)
                .getResultList());
        for (Number id : due) {
            try {
                checkNow(Actor.system(), id.longValue(), 0);
            } catch (ConnectorException e) {
                LOG.warnf("drift check of server %d failed: %s", id.longValue(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "drift check of server %d failed", id.longValue());
            }
        }
    }

    /**
     * Stores the outcome on the server. Each difference has a fingerprint (its artifact, problem and
     * both texts); every new or changed one is audited and announced (drift.detected), whatever the
     * number of differences does.
     */
    private void remember(Actor actor, long serverId, ServerSync.Result result, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            MailServer s = em.find(MailServer.class, serverId);
            if (s == null) {
                return;
            }
            Integer previous = s.driftCount;
            s.driftCheckedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            s.driftError = error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
            if (result == null) {
                return;
            }
            int count = result.differences().size();
            s.driftCount = count;
            List<Difference> fresh = fingerprints.replace(serverId, result.differences());
            if (!fresh.isEmpty()) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("server", s.name);
                details.put("revision", result.revision());
                details.put("differences", count);
                details.put("newOrChanged", fresh.size());
                details.put("artifacts", fresh.stream().limit(50)
                        .map(d -> d.type() + ":" + d.key() + " " + d.problem()).toList());
                audit.record(actor, "drift.detected", "MAIL_SERVER", s.id.toString(), null, details);
                Map<String, Object> event = new LinkedHashMap<>(details);
                event.put("url", "/api/v1/mail-servers/" + s.id + "/drift");
                webhooks.publish(event, WebhookEvent.DRIFT_DETECTED);
            } else if (count == 0 && previous != null && previous > 0) {
                audit.record(actor, "drift.resolved", "MAIL_SERVER", s.id.toString(), Map.of("differences", previous),
                        Map.of("differences", 0));
            }
        });
    }
}
