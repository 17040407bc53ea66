package com.mailgov.security;

import java.util.Set;

/** The roles, named as in Keycloak's realm roles and in local accounts. */
public final class Roles {
    /** A department's IT member: submits requests for their own department. */
    public static final String REQUESTER = "requester";
    /** Systems Dept.: approves or rejects other people's requests. */
    public static final String APPROVER = "approver";
    /** Manages users, departments, policies and servers. */
    public static final String ADMIN = "admin";
    /** Reads the audit log; changes nothing. */
    public static final String AUDITOR = "auditor";

    /**
     * An employee with a mailbox of their own: manages only that mailbox's autoreply. Local
     * accounts with a mail address and Keycloak users with an {@code email} claim have it; an
     * account may also have it alone (an employee who is nothing else).
     */
    public static final String SELF = "self";

    public static final Set<String> ALL = Set.of(REQUESTER, APPROVER, ADMIN, AUDITOR, SELF);

    private Roles() {
    }
}
