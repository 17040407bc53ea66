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

    @Inject
    SecurityIdentity identity;

    @Inject
    RequestInfo requestInfo;

    public Actor get() {
        Object department = identity.getAttribute(DEPARTMENT_ATTRIBUTE);
        return new Actor(identity.getPrincipal().getName(), identity.getRoles(),
                department == null ? null : department.toString(),
                requestInfo.sourceIp(), requestInfo.requestId());
    }
}
