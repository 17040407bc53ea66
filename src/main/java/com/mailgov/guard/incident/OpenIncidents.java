package com.mailgov.guard.incident;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.List;

/** The ids of open loop incidents for the banner on every page; read at most every two seconds. */
@ApplicationScoped
public class OpenIncidents {

    private static final long TTL_NANOS = 2_000_000_000L;

    @Inject
    EntityManager em;

    private volatile List<Long> ids = List.of();
    private volatile long readAt;

    public List<Long> ids() {
        long now = System.nanoTime();
        if (readAt == 0 || now - readAt > TTL_NANOS) {
            ids = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "SELECT id FROM loop_incident WHERE status = 'OPEN' ORDER BY id LIMIT 20")
                    .getResultList().stream().map(o -> ((Number) o).longValue()).toList());
            readAt = now;
        }
        return ids;
    }
}
