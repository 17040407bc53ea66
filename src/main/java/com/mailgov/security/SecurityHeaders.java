package com.mailgov.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Browser hardening on every response. The pages have no inline script or style, so the policy
 * allows only this origin's files; no page may be framed, so nobody can lay an approval page under
 * a decoy and have an approver click "Approve" (clickjacking). Quarkus' own tools under /q/ (Swagger
 * UI in dev/test) keep their inline code.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

    void register(@Observes Filters filters) {
        filters.register(this::add, 900);
    }

    private void add(RoutingContext rc) {
        MultiMap headers = rc.response().headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "same-origin");
        if (!rc.normalizedPath().startsWith("/q/")) {
            headers.set("Content-Security-Policy", POLICY);
        }
        rc.next();
    }
}
