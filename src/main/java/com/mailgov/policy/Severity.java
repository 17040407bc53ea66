package com.mailgov.policy;

/** How a finding gates approval: BLOCK cannot be approved, WARN needs a written reason, INFO informs. */
public enum Severity {
    BLOCK, WARN, INFO
}
