package com.mailgov.security;

import io.quarkus.security.StringPermission;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.Permission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The named role sets endpoints are guarded by ({@code @PermissionsAllowed(Access.SUBMIT)}), and the
 * one place that says which roles make up each. The roles come from local accounts or Keycloak; a set
 * is granted only by this code, so no configuration value or token claim can widen one. Endpoints
 * name a set instead of spelling out role lists, and an ArchitectureTest rule keeps it that way.
 */
@ApplicationScoped
public class Access implements SecurityIdentityAugmentor {

    /** Anyone who works with change requests and the directory: read them. */
    public static final String READ = "read";
    /** Submit a change request, withdraw one's own. */
    public static final String SUBMIT = "submit";
    /** Ask what a request would be told (what-if), without storing it. */
    public static final String WHAT_IF = "what-if";
    /** Decide other people's requests: approve, reject; stop or review a loop incident. */
    public static final String DECIDE = "decide";
    /** Restore an earlier directory revision (it is filed and approved as a request). */
    public static final String RESTORE = "restore";
    /** Read what decisions rest on: policies, standard change classes, risks, loop incidents. */
    public static final String REVIEW = "review";
    /** Read the audit log and how the mail servers stand (changes nothing). */
    public static final String OVERSEE = "oversee";
    /** Users, departments, domains, policies, servers, webhooks, imports. */
    public static final String ADMINISTER = "administer";
    /** An employee's own autoreply. */
    public static final String OWN_AUTOREPLY = "own-autoreply";
    /** The home page: everyone who has any role here (an employee is sent on to their own autoreply). */
    public static final String HOME = "home";

    /** Which roles grant each set. */
    static final Map<String, Set<String>> ROLES = roles();

    private static Map<String, Set<String>> roles() {
        Map<String, Set<String>> sets = new LinkedHashMap<>();
        sets.put(READ, Set.of(Roles.REQUESTER, Roles.APPROVER, Roles.ADMIN, Roles.AUDITOR));
        sets.put(SUBMIT, Set.of(Roles.REQUESTER, Roles.APPROVER));
        sets.put(WHAT_IF, Set.of(Roles.REQUESTER, Roles.APPROVER, Roles.ADMIN));
        sets.put(DECIDE, Set.of(Roles.APPROVER));
        sets.put(RESTORE, Set.of(Roles.APPROVER, Roles.ADMIN));
        sets.put(REVIEW, Set.of(Roles.APPROVER, Roles.ADMIN, Roles.AUDITOR));
        sets.put(OVERSEE, Set.of(Roles.ADMIN, Roles.AUDITOR));
        sets.put(ADMINISTER, Set.of(Roles.ADMIN));
        sets.put(OWN_AUTOREPLY, Set.of(Roles.SELF));
        sets.put(HOME, Roles.ALL);
        return Map.copyOf(sets);
    }

    /** The sets a person with these roles has. */
    public static Set<String> setsOf(Set<String> roles) {
        return ROLES.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(roles::contains))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<Permission> granted = setsOf(identity.getRoles()).stream()
                .map(StringPermission::new)
                .collect(Collectors.toUnmodifiableSet());
        if (granted.isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addPermissions(granted).build());
    }

    /** After every augmentor that adds roles (e.g. {@code self} from a token's email claim). */
    @Override
    public int priority() {
        return -1000;
    }
}
