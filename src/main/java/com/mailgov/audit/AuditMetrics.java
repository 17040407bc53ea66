package com.mailgov.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The audit chain's length as a gauge, read from the database when scraped. */
@ApplicationScoped
public class AuditMetrics {

    @Inject
    EntityManager em;

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder("mailgov.audit.chain.length", this, AuditMetrics::chainLength)
                .description("Entries in the hash-chained audit log")
                .register(registry);
    }

    double chainLength() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("SELECT COALESCE(max(seq), 0) FROM audit_entry").getSingleResult()).doubleValue());
    }
}
