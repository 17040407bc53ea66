package com.mailgov.web;

import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/** Builds problem responses; the single place that knows their shape. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Response of(ApiException e, String requestId, String instance) {
        return of(e.type(), e.getMessage(), e.errors(), e.extensions(), requestId, instance);
    }

    public static Response of(ProblemType type, String detail, List<Problem.FieldError> errors,
                              Map<String, Object> extensions, String requestId, String instance) {
        String field = errors.isEmpty() ? null : errors.get(0).field();
        Problem body = new Problem(type.uri(), type.title(), type.status(), detail, instance, requestId,
                field, errors, extensions);
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
