package com.mailgov.directory;

import com.mailgov.audit.AuditLog;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.ProblemType;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

@ApplicationScoped
@Transactional
public class DepartmentService {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    @Inject
    AuditLog audit;

    public record DepartmentView(String code, String name, Instant createdAt) {
        public static DepartmentView of(Department d) {
            return new DepartmentView(d.code, d.name, d.createdAt);
        }
    }

    public DepartmentView create(Actor actor, String code, String name) {
        FieldErrors errors = new FieldErrors();
        if (code == null || !CODE.matcher(code).matches()) {
            errors.add("code", "must be 1–32 ASCII letters, digits, '_' or '-', starting with a letter or digit");
        }
        String cleanName = Texts.singleLine(name, "name", 200, true, errors);
        errors.throwIfAny();
        if (find(code).isPresent()) {
            throw new ApiException(ProblemType.CONFLICT, "Department " + code + " already exists",
                    List.of(new com.mailgov.web.Problem.FieldError("code", "already exists")), Map.of());
        }
        Department d = new Department();
        d.code = code;
        d.name = cleanName;
        d.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        d.persist();
        DepartmentView view = DepartmentView.of(d);
        audit.record(actor, "department.created", "DEPARTMENT", code, null, view);
        return view;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DepartmentView> list() {
        return Department.<Department>find("ORDER BY code").stream().map(DepartmentView::of).toList();
    }

    /**
     * Codes known to exist. Departments are only ever added (nothing deletes one, and rows that
     * name a department reference it by foreign key), so a code seen once stays valid: every
     * submission checked its department with a query before.
     */
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Whether a department with this code exists. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean exists(String code) {
        if (code == null) {
            return false;
        }
        if (known.contains(code)) {
            return true;
        }
        boolean found = find(code).isPresent();
        if (found) {
            known.add(code);
        }
        return found;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Department> find(String code) {
        return code == null ? Optional.empty() : Department.find("code", code).firstResultOptional();
    }
}
