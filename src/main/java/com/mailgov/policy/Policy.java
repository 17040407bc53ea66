package com.mailgov.policy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One version of the policy, ready to evaluate with: the document and its compiled custom rules. */
public record Policy(long version, PolicyDocument document, List<CustomRules.Compiled> customRules,
                     String createdBy, Instant createdAt) {

    /** Defaults, then the global settings, then the department's overrides. */
    public RuleConfig configFor(PolicyRule rule, String department) {
        boolean enabled = true;
        Severity severity = rule.defaultSeverity();
        Map<String, Integer> params = new HashMap<>();
        rule.parameters().forEach(p -> params.put(p.name(), p.defaultValue()));
        List<PolicyDocument.RuleSettings> layers = new java.util.ArrayList<>();
        layers.add(document.rulesOrEmpty().get(rule.id()));
        if (department != null) {
            layers.add(document.departmentsOrEmpty().getOrDefault(department, Map.of()).get(rule.id()));
        }
        for (PolicyDocument.RuleSettings layer : layers) {
            if (layer == null) {
                continue;
            }
            if (layer.enabled() != null) {
                enabled = layer.enabled();
            }
            if (layer.severity() != null) {
                severity = layer.severity();
            }
            if (layer.parameters() != null) {
                params.putAll(layer.parameters());
            }
        }
        return new RuleConfig(enabled, severity, Map.copyOf(params));
    }
}
