package com.mailgov.ui;

import com.mailgov.web.ApiException;
import com.mailgov.web.Problem;

import java.util.List;

/**
 * A service's refusal (RFC 9457 problem) as a page shows it: title, detail and the offending
 * fields, so a form can put each message next to its input instead of failing the request.
 */
public record UiProblem(String type, String title, String detail, int status, List<Problem.FieldError> errors) {

    public static UiProblem of(ApiException e) {
        return new UiProblem(e.type().uri(), e.type().title(), e.getMessage(), e.type().status(), e.errors());
    }

    public static UiProblem invalid(String field, String message) {
        return of(ApiException.invalid(field, message));
    }

    /** The message for a form input: its own field, or a field inside it ({@code items[0].spec.subject} → subject). */
    public String errorFor(String input) {
        for (Problem.FieldError e : errors) {
            String f = e.field();
            if (f.equals(input) || f.endsWith("." + input) || f.startsWith(input + ".") || f.startsWith(input + "[")
                    || f.contains("." + input + "[")) {
                return e.message();
            }
        }
        return null;
    }

    public boolean hasErrorFor(String input) {
        return errorFor(input) != null;
    }
}
