package com.mailgov.policy;

import java.util.List;

/**
 * One loop-risk rule: a matcher over the proposed directory and a verdict. Rules look only at
 * what the request touches and what is reachable from it, so evaluation stays incremental.
 */
public interface PolicyRule {

    /** Stable id, used in findings, policy data and API errors. */
    String id();

    /** Severity when policy data does not set one. */
    Severity defaultSeverity();

    /** One line on what the rule catches, for the policy list. */
    String description();

    /** Tunable numbers, with defaults and ranges. */
    default List<RuleParameter> parameters() {
        return List.of();
    }

    List<Finding> evaluate(PolicyContext context, RuleConfig config);

    /** A second pass over all findings of an evaluation (e.g. to escalate); most rules leave them as they are. */
    default List<Finding> review(List<Finding> findings, RuleConfig config) {
        return findings;
    }
}
