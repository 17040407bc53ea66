package com.mailgov.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Optional;
import java.util.Set;

/** Reads local accounts for authentication (outside any request's transaction). */
@ApplicationScoped
public class LocalAccounts {

    @Inject
    LocalUserRepository users;

    /** The account if it may log in: a disabled account is treated as not there. */
    @Transactional
    public Optional<Account> find(String username) {
        return users.findByUsername(username)
                .filter(u -> u.disabledAt == null)
                .map(u -> new Account(u.username, u.passwordHash, u.roleSet(), u.departmentCode, u.email));
    }

    public record Account(String username, String passwordHash, Set<String> roles, String department, String email) {

        /** Who the account is for a request: its roles and, for requesters, its department. */
        public SecurityIdentity identity() {
            QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(username))
                    .addRoles(roles);
            if (department != null) {
                builder.addAttribute(CurrentActor.DEPARTMENT_ATTRIBUTE, department);
            }
            if (email != null) {
                // An account with a mail address of its own is an employee: it may manage its own autoreply.
                builder.addAttribute(CurrentActor.EMAIL_ATTRIBUTE, email).addRole(Roles.SELF);
            }
            return builder.build();
        }
    }
}
