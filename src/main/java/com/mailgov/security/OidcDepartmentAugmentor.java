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

/**
 * Copies the department and email claims of a Keycloak token into the identity, where local accounts
 * keep them too; a token with an email is an employee's and gets the role {@code self}.
 */
@ApplicationScoped
public class OidcDepartmentAugmentor implements SecurityIdentityAugmentor {

    @Inject
    MailgovConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        String department = textOf(token.getClaim(config.auth().departmentClaim()));
        String email = textOf(token.getClaim("email"));
        if (department == null && email == null) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity);
        if (department != null) {
            builder.addAttribute(CurrentActor.DEPARTMENT_ATTRIBUTE, department);
        }
        if (email != null) {
            // A person with a mail address (service accounts have none) may manage their own autoreply.
            builder.addAttribute(CurrentActor.EMAIL_ATTRIBUTE, email).addRole(Roles.SELF);
        }
        return Uni.createFrom().item(builder.build());
    }

    private static String textOf(Object claim) {
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
