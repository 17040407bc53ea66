package com.mailgov.policy;

import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** Runs every rule over a proposed directory state and collects the findings, most severe first. */
@ApplicationScoped
public class PolicyEngine {

    /** Version of the policy data in force; recorded with every evaluation. */
    public static final long BUILT_IN_POLICY_VERSION = 1;

    @Inject
    Instance<PolicyRule> rules;

    public record Evaluation(long policyVersion, List<Finding> findings) {

        public boolean has(Severity severity) {
            return findings.stream().anyMatch(f -> f.severity() == severity);
        }

        public List<String> ruleIds(Severity severity) {
            return findings.stream().filter(f -> f.severity() == severity).map(Finding::ruleId).distinct().toList();
        }
    }

    public Evaluation evaluate(DirectoryView proposed, List<ObjectChange> changes, Predicate<String> isInternal) {
        PolicyContext context = new PolicyContext(proposed, changes, isInternal);
        List<Finding> findings = new ArrayList<>();
        for (PolicyRule rule : rules) {
            findings.addAll(rule.evaluate(context, rule.defaultSeverity()));
        }
        findings.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::ruleId));
        return new Evaluation(BUILT_IN_POLICY_VERSION, List.copyOf(findings));
    }

    public List<PolicyRule> rules() {
        return rules.stream().sorted(Comparator.comparing(PolicyRule::id)).toList();
    }
}
