package com.mailgov.policy;

import java.util.Map;

/** How one rule runs for one evaluation: on or off, at which severity, with which parameters. */
public record RuleConfig(boolean enabled, Severity severity, Map<String, Integer> parameters) {

    public int param(String name) {
        Integer value = parameters.get(name);
        if (value == null) {
            throw new IllegalStateException("parameter " + name + " missing");
        }
        return value;
    }
}
