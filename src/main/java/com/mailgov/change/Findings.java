package com.mailgov.change;

import com.mailgov.policy.Finding;
import com.mailgov.policy.Severity;

import java.util.List;

/** Small questions asked of a request's findings. */
final class Findings {

    private Findings() {
    }

    static Severity highest(List<Finding> findings) {
        return findings.stream().map(Finding::severity).min(Enum::compareTo).orElse(null);
    }

    static String firstMessage(List<Finding> findings, Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).map(Finding::message).findFirst().orElse("");
    }
}
