package com.mailgov.policy.standard;

import com.mailgov.policy.RuleParameter;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A class of low-risk changes the policy approves by itself (ITIL's "standard change"). One class,
 * one job: say why a candidate is not of the class, or nothing when it is. Whether a class is in
 * force and its parameters are policy data ({@code standardChanges} in the policy document),
 * versioned and audited like the rules.
 */
public interface StandardChangeClass {

    /** Stable id, used in the policy document, in the request's record and in the audit log. */
    String id();

    String description();

    List<RuleParameter> parameters();

    /** Why {@code candidate} is not of this class with these parameters, or empty when it is. */
    Optional<String> refusal(StandardChangeCandidate candidate, Map<String, Integer> parameters);
}
