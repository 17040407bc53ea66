package com.mailgov.ui;

import org.jboss.resteasy.reactive.RestForm;

/** A new custom CEL rule as typed. */
public class CustomRuleForm {
    @RestForm public String id;
    @RestForm public String severity;
    @RestForm public String expression;
    @RestForm public String message;
    @RestForm public String messageJa;

    static CustomRuleForm empty() {
        CustomRuleForm f = new CustomRuleForm();
        f.id = "custom-";
        f.severity = "WARN";
        return f;
    }

    public boolean severityIs(String s) {
        return s.equals(severity);
    }
}
