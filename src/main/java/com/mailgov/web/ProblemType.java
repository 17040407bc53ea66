package com.mailgov.web;

/**
 * The stable problem types mailgov answers with (RFC 9457). Clients switch on {@link #uri()};
 * the slug never changes once published.
 */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", 400, "The request body could not be read"),
    VALIDATION_FAILED("validation-failed", 400, "The request has invalid fields"),
    CHECKPOINT_SIGNATURE_INVALID("checkpoint-signature-invalid", 400,
            "A checkpoint's signature does not verify with the audit signing key"),
    INVALID_CURSOR("invalid-cursor", 400, "The cursor is not one this list handed out: start again from the first page"),
    UNAUTHORIZED("unauthorized", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Not allowed"),
    SELF_APPROVAL("self-approval", 403, "Four eyes: you cannot decide your own request"),
    CROSS_SITE_REQUEST("cross-site-request", 403, "Requests from another site or without the CSRF token are refused"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    CONFLICT("conflict", 409, "Conflict with the current state"),
    CONCURRENT_CHANGE("concurrent-change", 409, "The directory changed since the request was based on it"),
    INVALID_STATE("invalid-state", 409, "The request is not in a state that allows this"),
    STALE_PLAN("stale-plan", 409, "The server's plan changed since it was shown: review the current plan"),
    IDEMPOTENCY_IN_FLIGHT("idempotency-in-flight", 409, "A request with this Idempotency-Key is still being processed"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests; try again later"),
    POLICY_BLOCKED("policy-blocked", 422, "Blocked by policy"),
    OVERRIDE_REASON_REQUIRED("override-reason-required", 422, "Warnings need an override reason"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "The Idempotency-Key was used with a different request"),
    SERVER_UNAVAILABLE("server-unavailable", 502, "A mail server could not be reached or refused"),
    DATABASE_UNAVAILABLE("database-unavailable", 503, "The database cannot be reached; retry shortly"),
    SERVICE_BUSY("service-busy", 503, "The service is too busy to finish this request now; retry shortly"),
    INTERNAL_ERROR("internal-error", 500, "Internal error");

    private static final String PREFIX = "urn:mailgov:problem:";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return PREFIX + slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
