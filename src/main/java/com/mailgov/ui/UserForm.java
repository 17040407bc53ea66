package com.mailgov.ui;

import org.jboss.resteasy.reactive.RestForm;

import java.util.List;

/** A new local account as typed (the password is never shown again). */
public class UserForm {
    @RestForm public String username;
    @RestForm public String password;
    @RestForm public List<String> roles;
    @RestForm public String department;

    static UserForm empty() {
        UserForm f = new UserForm();
        f.roles = List.of();
        return f;
    }

    public boolean hasRole(String role) {
        return roles != null && roles.contains(role);
    }

    public boolean departmentIs(String code) {
        return code.equals(department);
    }
}
