package com.mailgov.ui;

import org.jboss.resteasy.reactive.RestForm;

/** A new department as typed. */
public class DepartmentForm {
    @RestForm public String code;
    @RestForm public String name;

    static DepartmentForm empty() {
        return new DepartmentForm();
    }
}
