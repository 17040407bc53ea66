package com.mailgov.security;

import com.mailgov.web.ApiException;

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

    /**
     * The department a read is limited to: a requester always their own (asking for another is
     * refused, naming {@code what} they cannot see); everyone else the one asked for, or all (null).
     */
    public String readScope(String requested, String what) {
        if (!limitedToOwnDepartment()) {
            return requested;
        }
        String own = departmentCode().orElseThrow(() -> ApiException.forbidden("Your account has no department"));
        if (requested != null && !requested.equals(own)) {
            throw ApiException.forbidden("department", "You can only see " + what + " of your own department (" + own + ")");
        }
        return own;
    }

    public String rolesText() {
        return String.join(",", new TreeSet<>(roles));
    }

    /** For work the service does on its own (start-up, schedulers). */
    public static Actor system() {
        return new Actor("system", Set.of(), null, null, null);
    }
}
