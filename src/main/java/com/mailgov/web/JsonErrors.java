package com.mailgov.web;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Where a JSON body was wrong and what was wrong, from Jackson's errors, in the API's words. */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** Jackson's reference path as {@code items[0].spec.targets[1]}; empty for the body itself. */
    public static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    public static String message(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field";
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (e instanceof InvalidFormatException && target != null && target.isEnum()) {
            return "must be one of " + Arrays.toString(target.getEnumConstants());
        }
        if (target == Instant.class) {
            return "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z";
        }
        if (e instanceof InvalidFormatException) {
            return "is not a valid " + typeName(target);
        }
        return target == null ? "has the wrong type" : "must be a " + typeName(target);
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == String.class) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "JSON object";
    }
}
