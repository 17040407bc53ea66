package com.mailgov.ui;

/** What an approver typed, kept when the service refuses so nothing has to be typed again. */
public record DecisionForm(String comment, String overrideReason) {
    static final DecisionForm EMPTY = new DecisionForm("", "");
}
