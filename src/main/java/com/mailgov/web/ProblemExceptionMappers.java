package com.mailgov.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.mailgov.config.MailgovConfig;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Turns every failure into one format: RFC 9457 problem+json with a stable type. */
public class ProblemExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @Inject
    MailgovConfig config;

    @Inject
    RequestInfo requestInfo;

    @Inject
    DatabaseProbe databaseProbe;

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return ProblemResponses.of(e, requestInfo.requestId(), uri.getPath());
    }

    /** Unknown fields, wrong types and wrong enum values: the field and what was wrong. */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e, UriInfo uri) {
        String field = JsonErrors.path(e);
        if (field.isEmpty()) {
            return malformed("The body must be a JSON object", uri);
        }
        return fieldProblem(field, JsonErrors.message(e), uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        JsonLocation at = e.getLocation();
        // The input itself is not echoed: it may be huge or hostile.
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String what = e.getOriginalMessage() == null ? "invalid JSON" : firstLine(e.getOriginalMessage());
        return malformed("Malformed JSON" + where + ": " + what, uri);
    }

    @ServerExceptionMapper
    public Response beanValidation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(leafPath(v.getPropertyPath().toString()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return ProblemResponses.of(ApiException.invalid(errors), requestInfo.requestId(), uri.getPath());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class})
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        DatabaseOutages.Kind outage = DatabaseOutages.classify(e);
        if (outage != DatabaseOutages.Kind.NONE) {
            return comeBackLater(outage, e, uri); // the account could not be read: not a wrong password
        }
        String path = uri.getPath();
        if (!path.startsWith("/api/") && !path.startsWith("/q/")) {
            // A browser on the admin UI (or its login form): back to the login page, not a JSON problem.
            return Response.status(Response.Status.FOUND)
                    .location(java.net.URI.create("/j_security_check".equals(path) ? "/login?error=true" : "/login")).build();
        }
        Response problem = problem(ProblemType.UNAUTHORIZED, "Log in with a local account (HTTP Basic) or a bearer token", uri);
        return Response.fromResponse(problem)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"mailgov\", charset=\"UTF-8\"")
                .build();
    }

    @ServerExceptionMapper
    public Response redirect(AuthenticationRedirectException e) {
        return Response.status(e.getCode()).header(HttpHeaders.LOCATION, e.getRedirectUri()).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(ProblemType.FORBIDDEN, "Your roles do not allow this", uri);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(ProblemType.NOT_FOUND, "No resource at this path", uri);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        Response problem = problem(ProblemType.METHOD_NOT_ALLOWED, "This method is not allowed here", uri);
        return Response.fromResponse(problem).allow(e.getResponse().getAllowedMethods()).build();
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, UriInfo uri) {
        return problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send application/json", uri);
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, UriInfo uri) {
        return problem(ProblemType.NOT_ACCEPTABLE, "This resource answers application/json", uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        // The JSON reader wraps Jackson's errors; answer with the field they name.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof MismatchedInputException m) {
                return wrongShape(m, uri);
            }
            if (cause instanceof JsonProcessingException j) {
                return malformedJson(j, uri);
            }
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        ProblemType type = status == 413 ? ProblemType.PAYLOAD_TOO_LARGE : ProblemType.MALFORMED_REQUEST;
        return problem(type, firstLine(e.getMessage()), uri);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (OversizedBodies.isBodyTooLarge(e)) {
            long limit = config.limits().maxBodyBytes();
            return ProblemResponses.of(ProblemType.PAYLOAD_TOO_LARGE, "The body is larger than the " + limit + " bytes accepted",
                    List.of(), Map.of("maxBytes", limit), requestInfo.requestId(), uri.getPath());
        }
        DatabaseOutages.Kind outage = DatabaseOutages.classify(e);
        if (outage != DatabaseOutages.Kind.NONE) {
            return comeBackLater(outage, e, uri);
        }
        LOG.errorf(e, "Unexpected failure (request %s)", requestInfo.requestId());
        return problem(ProblemType.INTERNAL_ERROR,
                "Something went wrong on our side; quote request id " + requestInfo.requestId(), uri);
    }

    /**
     * The transaction did not commit (or, if the connection broke during COMMIT, the client cannot know;
     * an Idempotency-Key makes the retry safe): 503 with Retry-After. "Unavailable" when PostgreSQL is
     * away, "busy" when it answers but the request found no free connection or outlived the transaction
     * time-out: operators act differently on the two. One line per request, no stack trace: an outage
     * under load would otherwise bury the log.
     */
    private Response comeBackLater(DatabaseOutages.Kind kind, Throwable e, UriInfo uri) {
        boolean busy = kind == DatabaseOutages.Kind.TRANSACTION_TIMEOUT
                || kind == DatabaseOutages.Kind.POOL_TIMEOUT && databaseAnswers();
        Response problem;
        if (busy) {
            LOG.warnf("Service busy (request %s): %s", requestInfo.requestId(), rootMessage(e));
            problem = problem(ProblemType.SERVICE_BUSY, kind == DatabaseOutages.Kind.TRANSACTION_TIMEOUT
                    ? "The request outlived the transaction time-out and was rolled back: nothing of it was stored; retry in a few seconds"
                    : "No database connection came free in time: nothing of the request was stored; retry in a few seconds", uri);
        } else {
            LOG.warnf("Database unavailable (request %s): %s", requestInfo.requestId(), rootMessage(e));
            problem = problem(ProblemType.DATABASE_UNAVAILABLE,
                    "The database cannot be reached; retry in a few seconds "
                            + "(a submission retried with the same Idempotency-Key is not stored twice)", uri);
        }
        return Response.fromResponse(problem).header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private boolean databaseAnswers() {
        // a failed log-in is answered on the IO thread, which must not wait for a database
        return io.vertx.core.Context.isOnEventLoopThread() ? databaseProbe.answeredLastTime() : databaseProbe.check().answers();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (int i = 0; root.getCause() != null && i < 64; i++) {
            root = root.getCause();
        }
        return firstLine(root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    private Response fieldProblem(String field, String message, UriInfo uri) {
        return ProblemResponses.of(ApiException.invalid(field.isEmpty() ? "body" : field, message),
                requestInfo.requestId(), uri.getPath());
    }

    private Response malformed(String detail, UriInfo uri) {
        return problem(ProblemType.MALFORMED_REQUEST, detail, uri);
    }

    private Response problem(ProblemType type, String detail, UriInfo uri) {
        return ProblemResponses.of(type, detail, List.of(), Map.of(), requestInfo.requestId(), uri.getPath());
    }

    private static String leafPath(String propertyPath) {
        // "create.arg0.code" → "code": the method and parameter names are not the client's business.
        String[] parts = propertyPath.split("\\.");
        return parts.length <= 2 ? parts[parts.length - 1] : String.join(".", Arrays.copyOfRange(parts, 2, parts.length));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
