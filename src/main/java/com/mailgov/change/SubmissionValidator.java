package com.mailgov.change;

import com.mailgov.change.ChangeRequestDtos.ExternalRef;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.DepartmentService;
import com.mailgov.security.Actor;
import com.mailgov.security.Roles;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/** A submission's own fields, and whether the actor may submit for its department (items are checked by the resolver). */
@ApplicationScoped
public class SubmissionValidator {

    private static final Pattern SYSTEM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Inject
    MailgovConfig config;

    @Inject
    DepartmentService departments;

    /** A submission whose own fields are valid and whose department the actor may act for. */
    public record ValidSubmission(String department, String title, String reason, ExternalRef externalRef,
                                  List<ItemRequest> items) {
    }

    public ValidSubmission validate(Actor actor, SubmitChangeRequest body) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        String title = Texts.singleLine(body.title(), "title", 200, true, errors);
        String reason = Texts.multiLine(body.reason(), "reason", 4000, true, errors);
        ExternalRef ref = externalRef(body.externalRef(), errors);
        if (body.department() == null || body.department().isBlank()) {
            errors.add("department", "is required");
        }
        List<ItemRequest> items = body.items();
        if (items == null || items.isEmpty()) {
            errors.add("items", "must have at least one item");
        } else if (items.size() > config.limits().maxItems()) {
            errors.add("items", "must have at most " + config.limits().maxItems() + " items");
        }
        errors.throwIfAny();
        String department = body.department();
        if (!departments.exists(department)) {
            throw ApiException.invalid("department", "no department " + department);
        }
        if (actor.has(Roles.REQUESTER) && !actor.has(Roles.APPROVER) && !department.equals(actor.department())) {
            throw ApiException.forbidden("department", "You can submit requests only for your own department");
        }
        boolean moves = items.stream().anyMatch(i -> i != null && i.action() == ChangeAction.MOVE);
        if (moves && !actor.has(Roles.APPROVER) && !actor.has(Roles.ADMIN) && !actor.roles().isEmpty()) {
            // Taking a mailbox from another department is the Systems Dept.'s (or the company directory's) call.
            throw ApiException.forbidden("items", "Only approvers, admins and the directory sync can move a mailbox to another department");
        }
        return new ValidSubmission(department, title, reason, ref, items);
    }

    private static ExternalRef externalRef(ExternalRef ref, FieldErrors errors) {
        if (ref == null) {
            return null;
        }
        if (ref.system() == null || !SYSTEM.matcher(ref.system()).matches()) {
            errors.add("externalRef.system", "must be 1–64 ASCII letters, digits, '.', '_' or '-' (e.g. jira)");
        }
        String key = Texts.singleLine(ref.key(), "externalRef.key", 128, true, errors);
        String url = null;
        if (ref.url() != null) {
            url = Texts.singleLine(ref.url(), "externalRef.url", 2000, false, errors);
            if (url != null) {
                try {
                    URI uri = new URI(url);
                    if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
                        errors.add("externalRef.url", "must be an absolute http(s) URL");
                    }
                } catch (Exception e) {
                    errors.add("externalRef.url", "is not a valid URL");
                }
            }
        }
        String author = Texts.singleLine(ref.author(), "externalRef.author", 100, false, errors);
        return new ExternalRef(ref.system(), key, url, author);
    }
}
