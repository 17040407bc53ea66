package com.mailgov.policy;

import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Runs rules over a proposed directory state under one policy version: every enabled rule,
 * then the custom CEL rules, then each rule's review pass (escalation). Plain Java, so the
 * benchmark and unit tests use exactly what the service runs.
 */
public final class PolicyEvaluator {

    private final List<PolicyRule> rules;

    /**
     * Each rule's settings for one department under one policy version, worked out once: merging the
     * layers on every evaluation was a third of its time. A policy version never changes once
     * written, and a new one is a new {@link Policy} object, which starts a new memo.
     */
    private volatile ConfigMemo memo;

    private record ConfigMemo(Policy policy, Map<String, List<RuleConfig>> byDepartment) {
    }

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
        List<RuleConfig> configs = configs(policy, department);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleConfig config = configs.get(i);
            if (config.enabled()) {
                findings.addAll(rules.get(i).evaluate(context, config));
            }
        }
        if (!policy.customRules().isEmpty()) {
            findings.addAll(CustomRuleFindings.of(policy.customRules(), request, changes));
        }
        for (int i = 0; i < rules.size(); i++) {
            RuleConfig config = configs.get(i);
            if (config.enabled()) {
                findings = rules.get(i).review(findings, config);
            }
        }
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::ruleId));
        return new Evaluation(policy.version(), List.copyOf(sorted));
    }

    /** The settings of every rule (in {@link #rules} order) for {@code department} under {@code policy}. */
    private List<RuleConfig> configs(Policy policy, String department) {
        ConfigMemo m = memo;
        if (m == null || m.policy() != policy) {
            m = new ConfigMemo(policy, new ConcurrentHashMap<>());
            memo = m;
        }
        return m.byDepartment().computeIfAbsent(department == null ? "" : "d:" + department,
                d -> rules.stream().map(rule -> policy.configFor(rule, department)).toList());
    }
}
