package com.mailgov.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Refuses the login form when a browser says it was posted from another site. The form cannot
 * carry the CSRF token (no session yet), and a cross-site post of it would sign the victim in as
 * the attacker ("login CSRF"); the session cookie's SameSite=Strict does not stop the response from
 * setting it. Browsers name the source of every POST (Sec-Fetch-Site, Origin); clients that send
 * neither, such as scripts, are not browsers and are let through.
 */
@ApplicationScoped
public class CrossSiteRequestGuard {

    static final String LOGIN_POST = "/j_security_check";

    @Inject
    ObjectMapper json;

    /** Ahead of authentication, which is where the form auth mechanism reads this post. */
    void register(@Observes Filters filters) {
        filters.register(this::check, 1000);
    }

    private void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.method() != HttpMethod.POST || !LOGIN_POST.equals(rc.normalizedPath()) || sameSite(request)) {
            rc.next();
            return;
        }
        ProblemType type = ProblemType.CROSS_SITE_REQUEST;
        try {
            byte[] body = json.writeValueAsBytes(new Problem(type.uri(), type.title(), type.status(),
                    "The login form must be posted from this service's own login page.", LOGIN_POST, null, null,
                    List.of(), Map.of()));
            rc.response().setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(body));
        } catch (JsonProcessingException e) {
            rc.response().setStatusCode(type.status()).end();
        }
    }

    static boolean sameSite(HttpServerRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            // "none": the user opened it directly; same-site (another subdomain) is not trusted
            return fetchSite.equals("same-origin") || fetchSite.equals("none");
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return true;
        }
        try {
            URI o = URI.create(origin);
            String host = request.getHeader(HttpHeaders.HOST);
            return host != null && o.getHost() != null
                    && (o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort()).equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
