package com.mailgov.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * Policy as data: per rule on/off, severity and parameters; per-department overrides; custom CEL
 * rules; standard change classes the policy approves by itself. Absent entries mean the defaults. Every saved document is a new version.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDocument(Map<String, RuleSettings> rules, Map<String, Map<String, RuleSettings>> departments,
                             List<CustomRuleSpec> customRules,
                             @org.eclipse.microprofile.openapi.annotations.media.Schema(description =
                                     "Standard change classes by id: enabled (absent: in force) and parameters; severity is not used")
                             Map<String, RuleSettings> standardChanges) {

    public PolicyDocument(Map<String, RuleSettings> rules, Map<String, Map<String, RuleSettings>> departments,
                          List<CustomRuleSpec> customRules) {
        this(rules, departments, customRules, null);
    }

    /** A partial setting: null fields keep what the level below says. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RuleSettings(Boolean enabled, Severity severity, Map<String, Integer> parameters) {
    }

    /** A rule written as a CEL expression over {@code request} and {@code changes}; true means it fires. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CustomRuleSpec(String id, String expression, Severity severity, String message, String messageJa) {
    }

    public static PolicyDocument empty() {
        return new PolicyDocument(Map.of(), Map.of(), List.of(), null);
    }

    public Map<String, RuleSettings> standardChangesOrEmpty() {
        return standardChanges == null ? Map.of() : standardChanges;
    }

    public Map<String, RuleSettings> rulesOrEmpty() {
        return rules == null ? Map.of() : rules;
    }

    public Map<String, Map<String, RuleSettings>> departmentsOrEmpty() {
        return departments == null ? Map.of() : departments;
    }

    public List<CustomRuleSpec> customRulesOrEmpty() {
        return customRules == null ? List.of() : customRules;
    }
}
