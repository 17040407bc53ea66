package com.mailgov.ui;

import org.jboss.resteasy.reactive.RestForm;

/**
 * The submit form: shared fields, then one section per kind (the button pressed says which). Kept
 * as typed so a refused submission is shown again with the problems next to the fields.
 */
public class SubmitForm {
    @RestForm public String kind;
    @RestForm public String action;
    @RestForm public String department;
    @RestForm public String title;
    @RestForm public String reason;
    @RestForm public String ticket;
    // Autoreply
    @RestForm public String mailbox;
    @RestForm public String subject;
    @RestForm public String body;
    @RestForm public String intervalDays;
    @RestForm public String audience;
    @RestForm public String addresses;
    // Forward
    @RestForm public String source;
    @RestForm public String targets;
    @RestForm public String keepCopy;
    // Any kinds, as the API's JSON items
    @RestForm public String items;

    static SubmitForm empty(String department) {
        SubmitForm f = new SubmitForm();
        f.kind = "AUTOREPLY";
        f.action = "CREATE";
        f.department = department;
        f.intervalDays = "7";
        f.audience = "INTERNAL";
        return f;
    }

    public boolean is(String field, String value) {
        String v;
        switch (field) {
            case "kind": v = kind; break;
            case "action": v = action; break;
            case "audience": v = audience; break;
            case "department": v = department; break;
            default: v = null;
        }
        return value.equals(v);
    }

    public boolean keepsCopy() {
        return keepCopy != null;
    }
}
