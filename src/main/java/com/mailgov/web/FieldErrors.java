package com.mailgov.web;

import java.util.ArrayList;
import java.util.List;

/** Collects field errors while a request is checked, so one response names every bad field. */
public final class FieldErrors {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    public void add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    public int size() {
        return errors.size();
    }

    /** Ends the request with 400 when anything was added. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }
}
