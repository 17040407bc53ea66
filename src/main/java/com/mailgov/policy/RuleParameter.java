package com.mailgov.policy;

/** A tunable number of a rule, with its range; policy updates outside the range are refused. */
public record RuleParameter(String name, String description, int defaultValue, int min, int max) {
}
