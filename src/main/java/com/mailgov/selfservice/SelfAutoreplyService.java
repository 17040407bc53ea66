package com.mailgov.selfservice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mailgov.change.ChangeAction;
import com.mailgov.change.ChangeItem;
import com.mailgov.change.ChangeRequest;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.change.ChangeRequestService;
import com.mailgov.change.ChangeStatus;
import com.mailgov.config.CompanyTime;
import com.mailgov.directory.domains.CompanyDomains;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.push.SieveVacationScript;
import com.mailgov.push.pipeline.DesiredState;
import com.mailgov.push.pipeline.PushOutbox;
import com.mailgov.security.Actor;
import com.mailgov.security.Roles;
import com.mailgov.selfservice.SelfAutoreplyDtos.Absence;
import com.mailgov.selfservice.SelfAutoreplyDtos.Autoreply;
import com.mailgov.selfservice.SelfAutoreplyDtos.LastRequest;
import com.mailgov.selfservice.SelfAutoreplyDtos.ReplyPreview;
import com.mailgov.selfservice.SelfAutoreplyDtos.SelfAutoreplyView;
import com.mailgov.web.ApiException;
import com.mailgov.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An employee's own autoreply: read it with its state on the servers, set or change it, take it
 * off. Every change is an ordinary change request for the mailbox's department, submitted as the
 * employee; a clean one is a standard change the policy approves at once, anything with a finding
 * waits for an approver like any other request.
 */
@ApplicationScoped
@Transactional
public class SelfAutoreplyService {

    static final int DEFAULT_INTERVAL_DAYS = 7;
    private static final String ITEM_PREFIX = "items[0].spec.";

    @Inject
    OwnMailbox own;

    @Inject
    ChangeRequestService changes;

    @Inject
    DirectoryService directory;

    @Inject
    DirectoryCache cache;

    @Inject
    PushOutbox pushes;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    CompanyDomains domains;

    @Inject
    CompanyTime time;

    public SelfAutoreplyView get(String namedMailbox) {
        return view(own.resolve(namedMailbox));
    }

    public SelfAutoreplyView save(Actor actor, Absence absence) {
        if (absence == null) {
            throw ApiException.invalid("body", "is required");
        }
        OwnMailbox.Mailbox mailbox = own.resolve(absence.mailbox());
        boolean exists = current(mailbox.address()).isPresent();
        ObjectNode spec = json.createObjectNode();
        spec.put("mailbox", mailbox.address());
        spec.put("subject", absence.subject());
        spec.put("body", absence.body());
        if (absence.startsAt() != null) {
            spec.put("startsAt", absence.startsAt().toInstant().toString());
        }
        if (absence.endsAt() != null) {
            spec.put("endsAt", absence.endsAt().toInstant().toString());
        }
        spec.put("intervalDays", absence.intervalDays() == null ? DEFAULT_INTERVAL_DAYS : absence.intervalDays());
        spec.put("audience", absence.audience() == null ? null : absence.audience().name());
        submit(actor, mailbox, new ItemRequest(exists ? ChangeAction.UPDATE : ChangeAction.CREATE, ObjectKind.AUTOREPLY, spec),
                "Autoreply of " + mailbox.address() + " (self-service)");
        return view(mailbox);
    }

    public SelfAutoreplyView remove(Actor actor, String namedMailbox) {
        OwnMailbox.Mailbox mailbox = own.resolve(namedMailbox);
        if (current(mailbox.address()).isEmpty()) {
            throw ApiException.notFound("Autoreply of " + mailbox.address());
        }
        ObjectNode spec = json.createObjectNode().put("mailbox", mailbox.address());
        submit(actor, mailbox, new ItemRequest(ChangeAction.DELETE, ObjectKind.AUTOREPLY, spec),
                "Autoreply of " + mailbox.address() + " off (self-service)");
        return view(mailbox);
    }

    /**
     * Submits as the employee acting for their own mailbox: the request belongs to the mailbox's
     * department, and the actor carries only the role self (so it counts as no one's IT member).
     * Field problems name the form's fields, not the item's path inside the request.
     */
    private void submit(Actor actor, OwnMailbox.Mailbox mailbox, ItemRequest item, String title) {
        Actor self = new Actor(actor.username(), Set.of(Roles.SELF), mailbox.department(), actor.sourceIp(), actor.requestId());
        SubmitChangeRequest body = new SubmitChangeRequest(mailbox.department(), title,
                "Set by " + actor.username() + " for their own mailbox through self-service", null, List.of(item));
        try {
            changes.submit(self, body, null, mailbox.address());
        } catch (ApiException e) {
            throw formFields(e);
        }
    }

    private static ApiException formFields(ApiException e) {
        if (e.errors().isEmpty()) {
            return e;
        }
        List<Problem.FieldError> errors = e.errors().stream()
                .map(f -> new Problem.FieldError(f.field().startsWith(ITEM_PREFIX) ? f.field().substring(ITEM_PREFIX.length()) : f.field(),
                        f.message()))
                .toList();
        String detail = e.getMessage() == null ? null : e.getMessage().replace(ITEM_PREFIX, "");
        return new ApiException(e.type(), detail, errors, e.extensions());
    }

    private Optional<AutoreplySpec> current(String address) {
        cache.refreshTo(directory.currentRevision());
        return cache.read(view -> view.get(ObjectKind.AUTOREPLY, address)).map(e -> (AutoreplySpec) e.spec());
    }

    private SelfAutoreplyView view(OwnMailbox.Mailbox mailbox) {
        Optional<AutoreplySpec> spec = current(mailbox.address());
        Optional<ChangeRequest> last = lastRequest(mailbox.address(), List.of(ChangeStatus.values()));
        LastRequest request = last.map(cr -> new LastRequest(cr.id, cr.status, cr.standardChange, cr.decidedBy, cr.createdAt,
                cr.decidedAt, cr.status == ChangeStatus.SUBMITTED ? List.of() : pushes.forChange(cr.id))).orElse(null);
        // Pushed: the request that shaped the directory's autoreply has reached every server.
        Optional<ChangeRequest> decided = lastRequest(mailbox.address(),
                List.of(ChangeStatus.APPROVED, ChangeStatus.APPLYING, ChangeStatus.APPLIED, ChangeStatus.FAILED));
        boolean pushed = spec.isPresent() && decided.map(cr -> cr.status == ChangeStatus.APPLIED).orElse(true);
        Instant now = Instant.now();
        boolean active = pushed && spec.map(s -> (s.startsAt() == null || !now.isBefore(s.startsAt()))
                && (s.endsAt() == null || now.isBefore(s.endsAt()))).orElse(false);
        return new SelfAutoreplyView(mailbox.address(), mailbox.displayName(), mailbox.department(),
                spec.map(s -> new Autoreply(s.subject(), s.body(), s.startsAt(), s.endsAt(), s.intervalDays(), s.audience())).orElse(null),
                request, pushed, active, spec.map(s -> preview(s)).orElse(null));
    }

    /** What Pigeonhole sends: from the mailbox, the subject as given, Auto-Submitted: auto-replied, the text. */
    ReplyPreview preview(AutoreplySpec spec) {
        // The same aliases and domains the push uses, so the script shown is the script pushed.
        String script = cache.read(view -> {
            DesiredState desired = new DesiredState(view, domains.list(), false, time.zone());
            return SieveVacationScript.generate(spec, desired.aliasesOf(spec.mailbox()), domains.list(), time.zone());
        });
        return new ReplyPreview(spec.mailbox(), spec.subject(), "auto-replied", spec.body(), script);
    }

    private Optional<ChangeRequest> lastRequest(String address, List<ChangeStatus> statuses) {
        return em.createQuery("SELECT i.changeRequest FROM ChangeItem i WHERE i.kind = :kind AND i.objectKey = :key "
                        + "AND i.changeRequest.status IN :statuses ORDER BY i.changeRequest.createdAt DESC", ChangeRequest.class)
                .setParameter("kind", ObjectKind.AUTOREPLY).setParameter("key", address).setParameter("statuses", statuses)
                .setMaxResults(1).getResultStream().findFirst();
    }
}
