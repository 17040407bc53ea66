package com.mailgov.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import io.quarkus.csrf.reactive.runtime.CsrfTokenUtils;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every state-changing request a browser can make with its ambient credentials — any unsafe
 * request to the pages, and any unsafe request that only cookies can authenticate, on whatever path —
 * must prove it comes from this service's own pages, whatever its content type (none, JSON, form):
 * <ol>
 *   <li>the browser must not say it came from another site ({@code Sec-Fetch-Site} other than
 *       same-origin/none, or a foreign {@code Origin}); same-site sibling hosts are not trusted;</li>
 *   <li>it must carry the CSRF token (double-submit cookie): in the {@code X-CSRF-TOKEN} header, or in
 *       the form field of a form body. A body-less {@code fetch()} from a sibling page carries neither.</li>
 * </ol>
 * Either failure is a 403 problem {@code cross-site-request}, before any resource runs. The login
 * form has no session and so no token; it gets only the first check (a cross-site post of it would
 * sign the victim in as the attacker). quarkus-rest-csrf makes the token and its cookie and checks
 * form bodies too; its refusal (a bare 400) is answered as the same 403 problem.
 */
@ApplicationScoped
public class CrossSiteRequestGuard {

    static final String LOGIN_POST = "/j_security_check";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);
    /** Set on the routing context once the header token has been checked, so the form check is skipped. */
    private static final String VERIFIED = "mailgov.csrf.verified";

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.rest-csrf.cookie-name", defaultValue = "csrf-token")
    String csrfCookie;

    @ConfigProperty(name = "quarkus.rest-csrf.form-field-name", defaultValue = "csrf-token")
    String formField;

    @ConfigProperty(name = "quarkus.rest-csrf.token-header-name", defaultValue = "X-CSRF-TOKEN")
    String tokenHeader;

    @ConfigProperty(name = "quarkus.rest-csrf.token-signature-key")
    Optional<String> signatureKey;

    /** Ahead of authentication, which is where the form auth mechanism reads the login post. */
    void register(@Observes Filters filters) {
        filters.register(this::check, 1000);
    }

    private void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String path = rc.normalizedPath();
        if (SAFE.contains(request.method()) || !guarded(rc, path)) {
            rc.next();
            return;
        }
        if (!sameSite(request)) {
            refuse(rc, LOGIN_POST.equals(path)
                    ? "The login form must be posted from this service's own login page."
                    : "This request came from another site; use the service's own pages.");
            return;
        }
        if (LOGIN_POST.equals(path)) {
            rc.next();
            return;
        }
        String header = request.getHeader(tokenHeader);
        if (header != null) {
            if (!matchesCookie(rc, header)) {
                refuse(rc, "The CSRF token is missing or does not match; reload the page and try again.");
                return;
            }
            rc.put(VERIFIED, Boolean.TRUE);
        } else if (!isForm(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            refuse(rc, "A state-changing request needs the page's CSRF token (form field or " + tokenHeader + " header).");
            return;
        }
        rc.next();
    }

    /** Form bodies: the token is in the form, which is read only now. */
    @ServerRequestFilter(priority = 10)
    @WithFormRead
    public Optional<Response> checkFormToken(ResteasyReactiveContainerRequestContext context, RoutingContext rc) {
        if (SAFE.contains(rc.request().method()) || !guarded(rc, rc.normalizedPath()) || LOGIN_POST.equals(rc.normalizedPath())
                || Boolean.TRUE.equals(rc.get(VERIFIED))) {
            return Optional.empty();
        }
        Object token = ((ResteasyReactiveRequestContext) context.getServerRequestContext()).getFormParameter(formField, true, false);
        if (token instanceof String t && matchesCookie(rc, t)) {
            return Optional.empty();
        }
        ProblemType type = ProblemType.CROSS_SITE_REQUEST;
        return Optional.of(Response.status(type.status()).type(Problem.MEDIA_TYPE)
                .entity(problem("The form's CSRF token is missing or does not match; reload the page and try again.",
                        rc.normalizedPath())).build());
    }

    /**
     * quarkus-rest-csrf refuses a form without a valid token with a bare 400; on a guarded request
     * that is this guard's refusal, and gets its problem document.
     */
    @ServerResponseFilter
    public void answerCsrfRefusal(ContainerResponseContext response, RoutingContext rc) {
        if (response.getStatus() == 400 && !response.hasEntity() && !SAFE.contains(rc.request().method())
                && guarded(rc, rc.normalizedPath()) && !LOGIN_POST.equals(rc.normalizedPath())
                && !Boolean.TRUE.equals(rc.get("csrf_token_verified"))) {
            ProblemType type = ProblemType.CROSS_SITE_REQUEST;
            response.setStatus(type.status());
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE.toString(), Problem.MEDIA_TYPE);
            response.setEntity(problem("The form's CSRF token is missing or does not match; reload the page and try again.",
                    rc.normalizedPath()));
        }
    }

    /**
     * The pages (everything outside the API and Quarkus' own tools), and any other request that only
     * cookies can authenticate: it carries cookies and no Authorization header (scripts send Basic or
     * bearer credentials; a browser riding a session sends its cookies).
     */
    private static boolean guarded(RoutingContext rc, String path) {
        if (!path.startsWith("/api/") && !path.startsWith("/q/")) {
            return true;
        }
        return rc.request().getHeader(HttpHeaders.AUTHORIZATION) == null && rc.request().getHeader(HttpHeaders.COOKIE) != null;
    }

    private boolean matchesCookie(RoutingContext rc, String token) {
        Cookie cookie = rc.request().getCookie(csrfCookie);
        if (cookie == null || token.isEmpty()) {
            return false;
        }
        String expected = signatureKey.map(key -> CsrfTokenUtils.signCsrfToken(token, key)).orElse(token);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), cookie.getValue().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase();
        return type.equals(MediaType.APPLICATION_FORM_URLENCODED) || type.equals(MediaType.MULTIPART_FORM_DATA);
    }

    private void refuse(RoutingContext rc, String detail) {
        ProblemType type = ProblemType.CROSS_SITE_REQUEST;
        try {
            byte[] body = json.writeValueAsBytes(problem(detail, rc.normalizedPath()));
            rc.response().setStatusCode(type.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(body));
        } catch (JsonProcessingException e) {
            rc.response().setStatusCode(type.status()).end();
        }
    }

    private static Problem problem(String detail, String path) {
        ProblemType type = ProblemType.CROSS_SITE_REQUEST;
        return new Problem(type.uri(), type.title(), type.status(), detail, path, null, null, List.of(), Map.of());
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
