package com.mailgov.security;

import com.mailgov.web.RequestInfo;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** The {@link Actor} of the current HTTP request. */
@RequestScoped
public class CurrentActor {

    /** Identity attribute holding the department code (local accounts and OIDC alike). */
    public static final String DEPARTMENT_ATTRIBUTE = "department";

    /** Identity attribute holding the person's own mail address (local accounts' email, Keycloak's email claim). */
    public static final String EMAIL_ATTRIBUTE = "email";

    @Inject
    SecurityIdentity identity;

    @Inject
    RequestInfo requestInfo;

    /** The signed-in person's own mail address, if the account has one. */
    public java.util.Optional<String> email() {
        Object email = identity.getAttribute(EMAIL_ATTRIBUTE);
        return email == null || email.toString().isBlank() ? java.util.Optional.empty() : java.util.Optional.of(email.toString());
    }

    public Actor get() {
        Object department = identity.getAttribute(DEPARTMENT_ATTRIBUTE);
        return new Actor(SessionPrincipal.username(identity), identity.getRoles(),
                department == null ? null : department.toString(),
                requestInfo.sourceIp(), requestInfo.requestId());
    }
}
