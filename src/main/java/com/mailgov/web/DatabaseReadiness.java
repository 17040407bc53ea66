package com.mailgov.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: DOWN while PostgreSQL does not answer. Replaces Quarkus' datasource check
 * ({@code quarkus.datasource.health.enabled=false}), which borrows a pooled connection and so
 * waited up to the pool's 30 s behind the clients under load.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Inject
    DatabaseProbe probe;

    @Override
    public HealthCheckResponse call() {
        DatabaseProbe.Result result = probe.checkNow();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Database connections health check").status(result.answers());
        return result.answers() ? response.build() : response.withData("error", result.error()).build();
    }
}
