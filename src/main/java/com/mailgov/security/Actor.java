package com.mailgov.security;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Who is acting: the authenticated user, their roles and department, and where the call came from. */
public record Actor(String username, Set<String> roles, String department, String sourceIp, String requestId) {

    public boolean has(String role) {
        return roles.contains(role);
    }

    public Optional<String> departmentCode() {
        return Optional.ofNullable(department);
    }

    /** Requesters see only their own department; everyone else with a read role sees all. */
    public boolean limitedToOwnDepartment() {
        return !has(Roles.APPROVER) && !has(Roles.ADMIN) && !has(Roles.AUDITOR);
    }

    public String rolesText() {
        return String.join(",", new TreeSet<>(roles));
    }

    /** For work the service does on its own (start-up, schedulers). */
    public static Actor system() {
        return new Actor("system", Set.of(), null, null, null);
    }
}
