package com.mailgov.change;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Requests by outcome, for /q/metrics ({@code mailgov.change.requests{outcome=…}}). */
@ApplicationScoped
public class ChangeMetrics {

    @Inject
    MeterRegistry metrics;

    void count(String outcome) {
        metrics.counter("mailgov.change.requests", "outcome", outcome).increment();
    }
}
