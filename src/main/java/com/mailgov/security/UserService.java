package com.mailgov.security;

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

    @Inject
    LocalIdentityProvider identities;

    public record UserView(String username, List<String> roles, String department, Instant createdAt) {
        static UserView of(LocalUser u) {
            return new UserView(u.username, new TreeSet<>(u.roleSet()).stream().toList(), u.departmentCode, u.createdAt);
        }
    }

    public UserView create(Actor actor, String username, String password, List<String> roles, String department) {
        FieldErrors errors = new FieldErrors();
        if (username == null || !USERNAME.matcher(username).matches()) {
            errors.add("username", "must be 1–64 characters: lower-case ASCII letters, digits, '.', '_', '@' or '-'");
        }
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            errors.add("password", "must be " + MIN_PASSWORD + "–" + MAX_PASSWORD + " characters");
        } else if (password.chars().anyMatch(Character::isISOControl)) {
            errors.add("password", "must not contain control characters");
        }
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
        errors.throwIfAny();
        if (department != null && departments.find(department).isEmpty()) {
            throw ApiException.invalid("department", "no department " + department);
        }
        if (users.findByUsername(username).isPresent()) {
            throw new ApiException(ProblemType.CONFLICT, "User " + username + " already exists",
                    List.of(new Problem.FieldError("username", "already exists")), Map.of());
        }
        LocalUser user = newUser(username, password, roles, department);
        UserView view = UserView.of(user);
        audit.record(actor, "user.created", "USER", username, null, view);
        identities.forget(username);
        return view;
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
        user.roles = String.join(",", new TreeSet<>(roles));
        user.departmentCode = department;
        user.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        users.persist(user);
        return user;
    }
}
