package com.mailgov.push.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Push queue and drift as gauges, read from the database when scraped, so every replica reports
 * the same numbers. Job durations and outcomes are timed by {@link PushWorker}
 * ({@code mailgov_push_job_seconds{kind,outcome}}).
 */
@ApplicationScoped
public class PushMetrics {

    @Inject
    EntityManager em;

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        for (String status : new String[]{"PENDING", "FAILED"}) {
            Gauge.builder("mailgov.push.jobs", this, m -> m.jobs(status))
                    .description("Push jobs by status (FAILED ones wait for a retry by an admin)")
                    .tag("status", status.toLowerCase())
                    .register(registry);
        }
        Gauge.builder("mailgov.push.oldest.pending.seconds", this, PushMetrics::oldestPendingSeconds)
                .description("Age of the oldest pending push job: how far servers lag behind approvals")
                .register(registry);
        Gauge.builder("mailgov.drift.differences", this, PushMetrics::driftDifferences)
                .description("Differences between servers and the approved state found by the last drift checks")
                .register(registry);
    }

    double jobs(String status) {
        return number("SELECT count(*) FROM push_job WHERE status = '" + status + "'");
    }

    double oldestPendingSeconds() {
        return number("SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) FROM push_job WHERE status = 'PENDING'");
    }

    double driftDifferences() {
        return number("SELECT COALESCE(sum(drift_count), 0) FROM mail_server WHERE enabled");
    }

    private double number(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult()).doubleValue());
    }
}
