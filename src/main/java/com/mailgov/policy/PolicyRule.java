package com.mailgov.policy;

import java.util.List;

/**
 * One loop-risk rule: a matcher over the proposed directory and a verdict. Rules look only at
 * what the request touches and what is reachable from it.
 */
public interface PolicyRule {

    /** Stable id, used in findings, policy data and API errors. */
    String id();

    /** Severity when policy data does not set one. */
    Severity defaultSeverity();

    /** One line on what the rule catches, for the policy list. */
    String description();

    List<Finding> evaluate(PolicyContext context, Severity severity);
}
