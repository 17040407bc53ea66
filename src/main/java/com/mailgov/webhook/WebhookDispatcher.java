package com.mailgov.webhook;

import com.mailgov.config.MailgovConfig;
import com.mailgov.outbox.LeasedQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sends due deliveries. A batch is claimed with FOR UPDATE SKIP LOCKED and a lease, so several
 * replicas never send the same delivery at once and a crashed worker's claims expire; each
 * delivery renews its own lease right before it is sent, so a slow batch never lets another
 * replica send the rest again. Endpoints are served in parallel, at most a few deliveries each per
 * round, so one dead endpoint does not hold up the others; disabled endpoints are not called. The
 * HTTP calls happen outside any transaction. Failures are retried with exponential backoff.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final int BATCH = 20;
    static final int PER_ENDPOINT = 5;
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final int SENDERS = 8;

    @Inject
    EntityManager em;

    @Inject
    MailgovConfig config;

    @Inject
    MeterRegistry metrics;

    /** Endpoints whose deliveries a sender of this replica is working on. */
    private final java.util.Set<Long> busy = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS, r -> {
        Thread t = new Thread(r, "webhook-sender");
        t.setDaemon(true);
        return t;
    });

    @Inject
    Vertx vertx;

    @Inject
    WebhookNames names;

    /**
     * Vert.x's client, because it can connect to a given address ({@link RequestOptions#setServer})
     * while the Host header, TLS SNI and certificate check keep the URL's name; the JDK client
     * always resolves the name itself. Redirects are not followed (one could lead past the target
     * guard). Made when the first delivery is sent.
     */
    private volatile HttpClient http;

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = vertx.createHttpClient(new HttpClientOptions()
                            .setConnectTimeout(5_000)
                            .setVerifyHost(true)
                            .setKeepAlive(false));
                }
                client = http;
            }
        }
        return client;
    }

    /** The webhook_delivery table as a leased queue, grouped by endpoint; only enabled endpoints are served. */
    private LeasedQueue queue;

    @PostConstruct
    void createQueue() {
        queue = new LeasedQueue(em, "webhook_delivery", "endpoint_id",
                "JOIN webhook_endpoint e ON e.id = q.endpoint_id AND e.enabled", BATCH, PER_ENDPOINT, config::webhooks);
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void dispatchDue() {
        LeasedQueue.Claim claim = QuarkusTransaction.requiringNew().call(() -> queue.claim(busy));
        Instant lease = claim.lease();
        // One task per endpoint, in parallel and not awaited: a dead endpoint's timeouts delay only
        // its own deliveries; it is not claimed again here until its task has finished.
        claim.byGroup().forEach((endpoint, ids) -> {
            busy.add(endpoint);
            try {
                senders.execute(() -> {
                    try {
                        ids.forEach(id -> deliver(id, lease));
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "webhook sender for endpoint %d failed", endpoint);
                    } finally {
                        busy.remove(endpoint);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                busy.remove(endpoint); // shutting down: the claims expire and are taken over
            }
        });
    }

    @PreDestroy
    void stopSenders() {
        senders.shutdownNow();
        if (http != null) {
            http.close();
        }
    }

    /**
     * Sends one claimed delivery. Right before the call its lease is renewed for this delivery
     * alone, and only if it is still the lease of this claim: a delivery whose claim expired and
     * was taken by another replica is left to that replica, never sent twice. A delivery whose
     * endpoint was disabled since it was claimed is put back, not sent and not counted.
     */
    void deliver(long id, Instant claimedLease) {
        record Job(String url, String secret, String messageId, String payload, int attempts) {
        }
        Job job = QuarkusTransaction.requiringNew().call(() -> {
            if (!queue.renewIfStillOurs(id, claimedLease, config.webhooks().timeout().plus(LEASE_MARGIN))) {
                return null; // the claim expired and another worker owns it now
            }
            WebhookDelivery d = em.find(WebhookDelivery.class, id);
            WebhookEndpoint e = em.find(WebhookEndpoint.class, d.endpointId);
            if (e == null) {
                return null;
            }
            if (!e.enabled) {
                d.leaseUntil = null;
                d.attempts = Math.max(0, d.attempts - 1);
                return null;
            }
            return new Job(e.url, e.secret, d.messageId, d.payload, d.attempts);
        });
        if (job == null) {
            return;
        }
        long start = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            URI uri = URI.create(job.url());
            // resolved once and checked; the connection goes to exactly this address (no second lookup to rebind)
            InetAddress pinned = WebhookTargetGuard.pin(uri.getHost(), names, config.webhooks().allowPrivateTargets());
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            long timestamp = Instant.now().getEpochSecond();
            long timeout = config.webhooks().timeout().toMillis();
            RequestOptions request = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(uri.getHost().replace("[", "").replace("]", ""))
                    .setPort(port)
                    .setSsl(tls)
                    .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/"
                            : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                    .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(pinned, port)))
                    .setConnectTimeout(Math.min(timeout, 5_000))
                    .setIdleTimeout(timeout)
                    .setFollowRedirects(false)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("User-Agent", "mailgov-webhooks/1")
                    .putHeader("webhook-id", job.messageId())
                    .putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", WebhookSigner.sign(job.secret(), job.messageId(), timestamp, job.payload()));
            status = http().request(request)
                    .compose(r -> r.send(Buffer.buffer(job.payload())))
                    .compose(response -> response.end().map(done -> response.statusCode())) // the body is not needed
                    .toCompletionStage().toCompletableFuture()
                    .get(timeout + 1_000, TimeUnit.MILLISECONDS);
            if (status < 200 || status > 299) {
                error = "HTTP " + status;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            error = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
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
                if (queue.exhausted(attempts)) {
                    d.status = WebhookDelivery.Status.FAILED;
                    LOG.warnf("webhook delivery %d failed for good after %d attempts: %s", id, attempts, d.lastError);
                } else {
                    d.nextAttemptAt = queue.nextAttempt(attempts, now);
                }
            }
        });
    }
}
