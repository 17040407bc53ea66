package com.mailgov.security;

import com.mailgov.config.MailgovConfig;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Copies the department claim of a Keycloak token into the identity, where local accounts keep it too. */
@ApplicationScoped
public class OidcDepartmentAugmentor implements SecurityIdentityAugmentor {

    @Inject
    MailgovConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        String department = departmentOf(token.getClaim(config.auth().departmentClaim()));
        if (department == null) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity)
                .addAttribute(CurrentActor.DEPARTMENT_ATTRIBUTE, department)
                .build());
    }

    private static String departmentOf(Object claim) {
        if (claim instanceof JsonString s) {
            return s.getString();
        }
        if (claim instanceof String s) {
            return s;
        }
        if (claim instanceof JsonArray a && !a.isEmpty() && a.get(0) instanceof JsonString s) {
            return s.getString();
        }
        return null;
    }
}
