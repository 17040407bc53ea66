package com.mailgov.webhook;

import com.mailgov.config.MailgovConfig;
import com.mailgov.outbox.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Sends due deliveries. A batch is claimed with FOR UPDATE SKIP LOCKED and a lease, so several
 * replicas never send the same delivery at once and a crashed worker's claims expire; the HTTP
 * calls happen outside any transaction. Failures are retried with exponential backoff.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final int BATCH = 20;
    static final Duration LEASE = Duration.ofMinutes(2);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofHours(1);

    @Inject
    EntityManager em;

    @Inject
    MailgovConfig config;

    @Inject
    MeterRegistry metrics;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER) // a redirect could lead past the target guard
            .build();

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void dispatchDue() {
        List<Long> claimed = QuarkusTransaction.requiringNew().call(this::claim);
        for (Long id : claimed) {
            deliver(id);
        }
    }

    @SuppressWarnings("unchecked")
    List<Long> claim() {
        return ((List<Number>) em.createNativeQuery("""
                        UPDATE webhook_delivery SET lease_until = :lease, attempts = attempts + 1
                        WHERE id IN (SELECT id FROM webhook_delivery
                                     WHERE status = 'PENDING' AND next_attempt_at <= now()
                                       AND (lease_until IS NULL OR lease_until < now())
                                     ORDER BY next_attempt_at, id
                                     FOR UPDATE SKIP LOCKED LIMIT :batch)
                        RETURNING id""")
                .setParameter("lease", Instant.now().plus(LEASE))
                .setParameter("batch", BATCH)
                .getResultList()).stream().map(Number::longValue).toList();
    }

    void deliver(long id) {
        record Job(String url, String secret, String messageId, String payload, int attempts) {
        }
        Job job = QuarkusTransaction.requiringNew().call(() -> {
            WebhookDelivery d = em.find(WebhookDelivery.class, id);
            WebhookEndpoint e = em.find(WebhookEndpoint.class, d.endpointId);
            return e == null ? null : new Job(e.url, e.secret, d.messageId, d.payload, d.attempts);
        });
        if (job == null) {
            return;
        }
        long start = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            URI uri = URI.create(job.url());
            if (!config.webhooks().allowPrivateTargets()) {
                for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                    String refused = WebhookTargetGuard.checkAddress(address);
                    if (refused != null) {
                        throw new IllegalStateException("target " + refused);
                    }
                }
            }
            long timestamp = Instant.now().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(config.webhooks().timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "mailgov-webhooks/1")
                    .header("webhook-id", job.messageId())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSigner.sign(job.secret(), job.messageId(), timestamp, job.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(job.payload()))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status < 200 || status > 299) {
                error = "HTTP " + status;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long latency = (System.nanoTime() - start) / 1_000_000;
        metrics.timer("mailgov.webhook.delivery", "outcome", error == null ? "delivered" : "failed_attempt")
                .record(Duration.ofMillis(latency));
        record(id, job.attempts(), status, error, latency);
    }

    private void record(long id, int attempts, Integer status, String error, long latency) {
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookDelivery d = em.find(WebhookDelivery.class, id);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            d.lastStatus = status;
            d.latencyMs = latency;
            d.leaseUntil = null;
            if (error == null) {
                d.status = WebhookDelivery.Status.DELIVERED;
                d.deliveredAt = now;
                d.lastError = null;
            } else {
                d.lastError = error.length() > 1000 ? error.substring(0, 1000) : error;
                if (attempts >= config.webhooks().maxAttempts()) {
                    d.status = WebhookDelivery.Status.FAILED;
                    LOG.warnf("webhook delivery %d failed for good after %d attempts: %s", id, attempts, d.lastError);
                } else {
                    d.nextAttemptAt = now.plus(backoff(attempts));
                }
            }
        });
    }

    /** 5 s, 10 s, 20 s, … up to an hour. */
    static Duration backoff(int attempts) {
        return Backoff.after(attempts, FIRST_RETRY, MAX_RETRY);
    }
}
