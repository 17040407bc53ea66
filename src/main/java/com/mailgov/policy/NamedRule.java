package com.mailgov.policy;

/** The id, default severity and description every rule has, so a rule class holds only its matcher. */
public abstract class NamedRule implements PolicyRule {

    private final String id;
    private final Severity defaultSeverity;
    private final String description;

    protected NamedRule(String id, Severity defaultSeverity, String description) {
        this.id = id;
        this.defaultSeverity = defaultSeverity;
        this.description = description;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Severity defaultSeverity() {
        return defaultSeverity;
    }

    @Override
    public String description() {
        return description;
    }
}
