package com.mailgov.security;

import java.util.Set;

/** The four roles, named as in Keycloak's realm roles and in local accounts. */
public final class Roles {
    /** A department's IT member: submits requests for their own department. */
    public static final String REQUESTER = "requester";
    /** Systems Dept.: approves or rejects other people's requests. */
    public static final String APPROVER = "approver";
    /** Manages users, departments, policies and servers. */
    public static final String ADMIN = "admin";
    /** Reads the audit log; changes nothing. */
    public static final String AUDITOR = "auditor";

    public static final Set<String> ALL = Set.of(REQUESTER, APPROVER, ADMIN, AUDITOR);

    private Roles() {
    }
}
