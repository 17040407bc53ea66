package com.mailgov.policy;

import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs rules over a proposed directory state under one policy version: every enabled rule,
 * then the custom CEL rules, then each rule's review pass (escalation). Plain Java, so the
 * benchmark and unit tests use exactly what the service runs.
 */
public final class PolicyEvaluator {

    private final List<PolicyRule> rules;

    public PolicyEvaluator(List<PolicyRule> rules) {
        this.rules = rules.stream().sorted(Comparator.comparing(PolicyRule::id)).toList();
    }

    public List<PolicyRule> rules() {
        return rules;
    }

    public record Evaluation(long policyVersion, List<Finding> findings) {

        public boolean has(Severity severity) {
            return findings.stream().anyMatch(f -> f.severity() == severity);
        }

        public List<String> ruleIds(Severity severity) {
            return findings.stream().filter(f -> f.severity() == severity).map(Finding::ruleId).distinct().toList();
        }
    }

    public Evaluation evaluate(Policy policy, DirectoryView proposed, List<ObjectChange> changes,
                               Predicate<String> isInternal, String department, Map<String, Object> request) {
        PolicyContext context = new PolicyContext(proposed, changes, isInternal);
        List<Finding> findings = new ArrayList<>();
        for (PolicyRule rule : rules) {
            RuleConfig config = policy.configFor(rule, department);
            if (config.enabled()) {
                findings.addAll(rule.evaluate(context, config));
            }
        }
        if (!policy.customRules().isEmpty()) {
            findings.addAll(CustomRuleFindings.of(policy.customRules(), request, changes));
        }
        for (PolicyRule rule : rules) {
            RuleConfig config = policy.configFor(rule, department);
            if (config.enabled()) {
                findings = rule.review(findings, config);
            }
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::ruleId));
        return new Evaluation(policy.version(), List.copyOf(sorted));
    }
}
