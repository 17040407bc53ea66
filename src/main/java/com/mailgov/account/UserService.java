package com.mailgov.account;

import com.mailgov.security.Actor;
import com.mailgov.security.Roles;
import com.mailgov.security.LocalUser;
import com.mailgov.security.LocalUserRepository;
import com.mailgov.audit.AuditLog;
import com.mailgov.directory.DepartmentService;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Local accounts: created by an admin, passwords stored as bcrypt, never shown again. */
@ApplicationScoped
@Transactional
public class UserService {

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 128;

    @Inject
    LocalUserRepository users;

    @Inject
    DepartmentService departments;

    @Inject
    AuditLog audit;

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record UserView(String username, List<String> roles, String department, String email, boolean enabled,
                           Instant createdAt, Instant disabledAt) {
        static UserView of(LocalUser u) {
            return new UserView(u.username, new TreeSet<>(u.roleSet()).stream().toList(), u.departmentCode, u.email,
                    u.disabledAt == null, u.createdAt, u.disabledAt);
        }
    }

    public UserView create(Actor actor, String username, String password, List<String> roles, String department) {
        return create(actor, username, password, roles, department, null);
    }

    /** @param email the person's own mail address (their mailbox); null for accounts that are no person's */
    public UserView create(Actor actor, String username, String password, List<String> roles, String department,
                           String email) {
        FieldErrors errors = new FieldErrors();
        String address = checkEmail(email, null, errors);
        if (username == null || !USERNAME.matcher(username).matches()) {
            errors.add("username", "must be 1–64 characters: lower-case ASCII letters, digits, '.', '_', '@' or '-'");
        }
        checkPassword(password, errors);
        checkRoles(roles, department, errors);
        errors.throwIfAny();
        checkDepartmentExists(department);
        if (users.findByUsername(username).isPresent()) {
            throw new ApiException(ProblemType.CONFLICT, "User " + username + " already exists",
                    List.of(new Problem.FieldError("username", "already exists")), Map.of());
        }
        LocalUser user = newUser(username, password, roles, department);
        user.email = address;
        UserView view = UserView.of(user);
        audit.record(actor, "user.created", "USER", username, null, view);
        return view;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public UserView get(String username) {
        return UserView.of(existing(username));
    }

    /**
     * Replaces an account's roles, department and whether it may log in. A disabled account loses
     * its UI session on its next request. At least one enabled admin always remains, so nobody
     * locks the service out of its own administration.
     */
    public UserView update(Actor actor, String username, List<String> roles, String department, Boolean enabled) {
        return update(actor, username, roles, department, enabled, existing(username).email);
    }

    /** As above, and sets the account's own mail address (null removes it). */
    public UserView update(Actor actor, String username, List<String> roles, String department, Boolean enabled,
                           String email) {
        LocalUser user = lockedForUpdate(username);
        FieldErrors errors = new FieldErrors();
        String address = checkEmail(email, username, errors);
        checkRoles(roles, department, errors);
        if (enabled == null) {
            errors.add("enabled", "is required (true or false)");
        }
        errors.throwIfAny();
        checkDepartmentExists(department);
        UserView before = UserView.of(user);
        boolean staysAdmin = enabled && roles.contains(Roles.ADMIN);
        if (!staysAdmin && before.enabled() && before.roles().contains(Roles.ADMIN) && otherEnabledAdmins(username) == 0) {
            throw new ApiException(ProblemType.CONFLICT, username + " is the last enabled admin",
                    List.of(new Problem.FieldError(enabled ? "roles" : "enabled",
                            "the last enabled admin cannot lose the admin role or be disabled")), Map.of());
        }
        user.roles = String.join(",", new TreeSet<>(roles));
        user.departmentCode = department;
        user.email = address;
        if (!enabled && user.disabledAt == null) {
            user.disabledAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            user.sessionEpoch++; // enabling the account again does not bring old session cookies back
        } else if (enabled) {
            user.disabledAt = null;
        }
        UserView after = UserView.of(user);
        if (!after.equals(before)) {
            audit.record(actor, "user.updated", "USER", username, before, after);
        }
        return after;
    }

    /** Sets a new password; the audit log records that it happened, never the password. */
    public void resetPassword(Actor actor, String username, String password) {
        LocalUser user = lockedForUpdate(username);
        FieldErrors errors = new FieldErrors();
        checkPassword(password, errors);
        errors.throwIfAny();
        user.passwordHash = BcryptUtil.bcryptHash(password);
        user.sessionEpoch++; // every session of the old password ends, including copied cookies
        audit.record(actor, "user.password_reset", "USER", username, null, Map.of("username", username));
    }

    private LocalUser existing(String username) {
        return users.findByUsername(username).orElseThrow(() -> ApiException.notFound("User " + shown(username)));
    }

    private LocalUser lockedForUpdate(String username) {
        // serialises concurrent demotions, so two admins cannot demote each other at once and leave none
        users.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('mailgov.local_user.admins'))")
                .getSingleResult();
        return existing(username);
    }

    private long otherEnabledAdmins(String username) {
        return users.find("username <> ?1 AND disabledAt IS NULL", username).stream()
                .filter(u -> u.roleSet().contains(Roles.ADMIN)).count();
    }

    private static String shown(String username) {
        return username == null ? "" : username.length() > 64 ? username.substring(0, 64) + "…" : username;
    }

    /** A well-formed address no other account has (one person, one mailbox), normalised; null stays null. */
    private String checkEmail(String email, String username, FieldErrors errors) {
        if (email == null || email.isBlank()) {
            return null;
        }
        com.mailgov.directory.MailAddresses.Result result = com.mailgov.directory.MailAddresses.normalise(email.trim());
        if (!result.ok()) {
            errors.add("email", result.error());
            return null;
        }
        boolean taken = users.find("lower(email) = ?1", result.address().toLowerCase(java.util.Locale.ROOT)).stream()
                .anyMatch(u -> !u.username.equals(username));
        if (taken) {
            errors.add("email", "belongs to another account");
        }
        return result.address();
    }

    private static void checkPassword(String password, FieldErrors errors) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            errors.add("password", "must be " + MIN_PASSWORD + "–" + MAX_PASSWORD + " characters");
        } else if (password.chars().anyMatch(Character::isISOControl)) {
            errors.add("password", "must not contain control characters");
        }
    }

    private void checkDepartmentExists(String department) {
        if (department != null && departments.find(department).isEmpty()) {
            throw ApiException.invalid("department", "no department " + department);
        }
    }

    private static void checkRoles(List<String> roles, String department, FieldErrors errors) {
        if (roles == null || roles.isEmpty()) {
            errors.add("roles", "must name at least one of " + new TreeSet<>(Roles.ALL));
        } else {
            for (int i = 0; i < roles.size(); i++) {
                if (!Roles.ALL.contains(roles.get(i))) {
                    errors.add("roles[" + i + "]", "must be one of " + new TreeSet<>(Roles.ALL));
                }
            }
            if (roles.contains(Roles.REQUESTER) && (department == null || department.isBlank())) {
                errors.add("department", "is required for a requester");
            }
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserView> list() {
        return users.find("ORDER BY username").stream().map(UserView::of).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean any() {
        return users.count() > 0;
    }

    LocalUser newUser(String username, String password, List<String> roles, String department) {
        LocalUser user = new LocalUser();
        user.username = username;
        user.passwordHash = BcryptUtil.bcryptHash(password);
        user.sessionEpoch++; // every session of the old password ends, including copied cookies
        user.roles = String.join(",", new TreeSet<>(roles));
        user.departmentCode = department;
        user.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        users.persist(user);
        return user;
    }
}
