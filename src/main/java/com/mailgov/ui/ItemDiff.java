package com.mailgov.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One object a request changes, as field rows "before → after" against the current directory,
 * so an approver reads what changes rather than a JSON document.
 */
public record ItemDiff(ObjectKind kind, String key, String type, List<Row> rows) {

    /** One field; {@code changed} marks the rows the request actually alters. */
    public record Row(String field, String before, String after, boolean changed) {
    }

    public boolean created() {
        return "CREATED".equals(type);
    }

    public boolean deleted() {
        return "DELETED".equals(type);
    }

    static ItemDiff of(ObjectChange change, ObjectMapper json) {
        return of(change.kind(), change.key(), change.type().name(),
                change.before() == null ? null : json.valueToTree(change.before()),
                change.after() == null ? null : json.valueToTree(change.after()));
    }

    /** A stored item when it can no longer be compared (decided requests): its spec as the "after" side. */
    static ItemDiff stored(ObjectKind kind, String key, String action, String spec, ObjectMapper json) {
        try {
            return of(kind, key, action, null, json.readTree(spec));
        } catch (java.io.IOException e) {
            return new ItemDiff(kind, key, action, List.of(new Row("spec", "", spec, true)));
        }
    }

    private static ItemDiff of(ObjectKind kind, String key, String type, JsonNode before, JsonNode after) {
        Set<String> fields = new LinkedHashSet<>();
        addFields(before, fields);
        addFields(after, fields);
        List<Row> rows = new ArrayList<>();
        for (String f : fields) {
            String b = text(before == null ? null : before.get(f));
            String a = text(after == null ? null : after.get(f));
            if (b.isEmpty() && a.isEmpty()) {
                continue;
            }
            rows.add(new Row(f, b, a, !b.equals(a)));
        }
        return new ItemDiff(kind, key, type, rows);
    }

    private static void addFields(JsonNode node, Set<String> fields) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.isTextual() ? v.asText() : v.toString()));
            return String.join(", ", parts);
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
