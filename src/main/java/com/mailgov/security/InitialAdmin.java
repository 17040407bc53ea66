package com.mailgov.security;

import com.mailgov.audit.AuditLog;
import com.mailgov.config.MailgovConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The first local account, {@code admin}: its password comes from MAILGOV_ADMIN_PASSWORD, or is
 * generated and printed once to the console (never to the log files), like Jenkins and Keycloak do.
 */
@ApplicationScoped
public class InitialAdmin {

    public static final String USERNAME = "admin";
    /** Advisory lock key of the first-account creation ("mailgov" + 1). */
    private static final long LOCK_KEY = 7305002; // DefaultFileServer uses 7305001

    @Inject
    UserService users;

    @Inject
    MailgovConfig config;

    @Inject
    AuditLog audit;

    @Inject
    jakarta.persistence.EntityManager em;

    /**
     * Several replicas started together on a fresh database (a Deployment's first install) all see
     * no account; a transaction-scoped advisory lock lets one create {@code admin} while the others
     * wait, then find it and do nothing (issue 12 #7).
     */
    @Transactional
    void onStart(@Observes StartupEvent event) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").getSingleResult();
        if (users.any()) {
            return;
        }
        String password = config.adminPassword().filter(p -> !p.isBlank()).orElse(null);
        boolean generated = password == null;
        if (generated) {
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        UserService.UserView admin = UserService.UserView.of(users.newUser(USERNAME, password, List.of(Roles.ADMIN), null));
        audit.record(com.mailgov.security.Actor.system(), "user.created", "USER", USERNAME, null, admin);
        if (generated) {
            System.out.println("""

                    ================================================================
                     mailgov: created the first local account
                       username: admin
                       password: %s
                     This password is shown only once. Store it now.
                    ================================================================
                    """.formatted(password));
        }
    }
}
