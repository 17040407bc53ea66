package com.mailgov.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.directory.ObjectChange;
import dev.cel.runtime.CelEvaluationException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns custom CEL rules into findings, and request data into the plain values CEL reads. */
final class CustomRuleFindings {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private CustomRuleFindings() {
    }

    static List<Finding> of(List<CustomRules.Compiled> rules, Map<String, Object> request, List<ObjectChange> changes) {
        List<Map<String, Object>> changeFacts = new ArrayList<>();
        for (ObjectChange c : changes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", c.kind().name());
            m.put("type", c.type().name());
            m.put("key", c.key());
            m.put("department", c.department());
            if (c.after() != null) {
                m.put("after", celValue(JSON.valueToTree(c.after())));
            }
            changeFacts.add(m);
        }
        List<Finding> findings = new ArrayList<>();
        for (CustomRules.Compiled rule : rules) {
            PolicyDocument.CustomRuleSpec spec = rule.spec();
            try {
                if (rule.matches(request, changeFacts)) {
                    findings.add(new Finding(spec.id(), spec.severity(), spec.message(),
                            spec.messageJa() == null ? spec.message() : spec.messageJa(), List.of(), null, null, null, null));
                }
            } catch (CelEvaluationException e) {
                // A rule that cannot decide must not pass silently, nor weaker than it was meant:
                // a BLOCK rule stays BLOCK (fail closed), any other asks for a reason.
                findings.add(new Finding(spec.id(), spec.severity() == Severity.BLOCK ? Severity.BLOCK : Severity.WARN,
                        "Custom rule " + spec.id() + " could not be evaluated: " + e.getMessage(),
                        "カスタムルール " + spec.id() + " を評価できませんでした: " + e.getMessage(),
                        List.of(), null, "Fix the rule's expression.", "ルールの式を修正してください。", null));
            }
        }
        return findings;
    }

    /** JSON as CEL values: objects → maps, arrays → lists, integers → long; nulls are left out. */
    static Object celValue(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    m.put(e.getKey(), celValue(e.getValue()));
                }
            }
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>();
            node.forEach(child -> {
                if (!child.isNull()) {
                    l.add(celValue(child));
                }
            });
            return l;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }
}
