package com.mailgov.ui;

import com.mailgov.account.UserService;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;

/** A local account as typed, new or edited (the password is never shown again). */
public class UserForm {
    @RestForm public String username;
    @RestForm public String password;
    @RestForm public List<String> roles;
    @RestForm public String department;
    /** "true" when the account may log in (an unchecked box sends nothing). */
    @RestForm public String enabled;

    static UserForm empty() {
        UserForm f = new UserForm();
        f.roles = List.of();
        return f;
    }

    static UserForm of(UserService.UserView user) {
        UserForm f = new UserForm();
        f.username = user.username();
        f.roles = user.roles();
        f.department = user.department();
        f.enabled = String.valueOf(user.enabled());
        return f;
    }

    public boolean isEnabled() {
        return "true".equals(enabled);
    }

    public boolean hasRole(String role) {
        return roles != null && roles.contains(role);
    }

    public boolean departmentIs(String code) {
        return code.equals(department);
    }
}
