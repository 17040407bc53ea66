package com.mailgov.web;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document. {@code field} names the first offending field, {@code errors}
 * lists all of them; extensions (findings, conflicting objects, …) are flattened into the body.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      String requestId, String field, List<FieldError> errors,
                      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions == null ? Map.of() : extensions;
    }

    /** One invalid field: a JSON path into the request ({@code items[0].spec.targets[1]}) and what was wrong. */
    public record FieldError(String field, String message) {
    }
}
