package com.mailgov.change.expiry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.change.ChangeAction;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.change.ChangeRequestService;
import com.mailgov.change.ChangeRequestService.AutomaticChange;
import com.mailgov.change.ChangeStatus;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.security.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Takes autoreplies whose period has ended off the servers and out of the directory, so expired
 * ones do not pile up (the Sieve stops answering at {@code endsAt} by itself; this removes it).
 * One automatic change request per department, decided by {@value #ACTOR} and audited like any
 * other; the normal push path removes the script. Replicas take turns on the approval lock, so an
 * autoreply is ended once.
 */
@ApplicationScoped
public class AutoreplyExpiry {

    /** Who submits and decides these requests: mailgov itself, on schedule. */
    public static final String ACTOR = "system:autoreply-expiry";

    private static final Logger LOG = Logger.getLogger(AutoreplyExpiry.class);

    @Inject
    DirectoryService directory;

    @Inject
    DirectoryCache cache;

    @Inject
    ChangeRequestService changes;

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Scheduled(every = "${mailgov.autoreply.expiry-check-interval:PT1M}", delayed = "20s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "autoreply-expiry")
    void onSchedule() {
        try {
            expireDue(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Ending expired autoreplies failed; next try at the next check");
        }
    }

    /** Ends every autoreply whose {@code endsAt} is not after {@code now}; one request per department. */
    public List<AutomaticChange> expireDue(Instant now) {
        Set<String> departments = QuarkusTransaction.requiringNew().call(() -> {
            cache.refreshTo(directory.currentRevision());
            return due(now).keySet();
        });
        List<AutomaticChange> out = new ArrayList<>();
        for (String department : departments) {
            QuarkusTransaction.requiringNew().call(() -> expire(department, now)).ifPresent(out::add);
        }
        return out;
    }

    private Optional<AutomaticChange> expire(String department, Instant now) {
        // Under the approval lock and at the head: another replica's run has either ended them or not started.
        cache.refreshTo(directory.lockHead());
        List<AutoreplySpec> ended = due(now).getOrDefault(department, List.of());
        Set<String> waiting = waitingForApprover(ended);
        List<ItemRequest> items = new ArrayList<>();
        List<String> mailboxes = new ArrayList<>();
        for (AutoreplySpec a : ended) {
            if (!waiting.contains(a.mailbox())) {
                items.add(new ItemRequest(ChangeAction.DELETE, ObjectKind.AUTOREPLY,
                        json.createObjectNode().put("mailbox", a.mailbox())));
                mailboxes.add(a.mailbox());
            }
        }
        if (items.isEmpty()) {
            return Optional.empty();
        }
        Actor system = new Actor(ACTOR, Set.of(), department, null, null);
        String reason = "The period of these autoreplies has ended: " + String.join(", ", mailboxes);
        AutomaticChange change = changes.applyAutomatically(system,
                new SubmitChangeRequest(department, "Expired autoreplies (" + items.size() + ")", reason, null, items),
                "Ended automatically after endsAt");
        LOG.infof("Autoreplies ended after their period in %s: %s (request %s%s)", department, mailboxes, change.id(),
                change.approved() ? "" : ", waiting for an approver");
        return Optional.of(change);
    }

    private Map<String, List<AutoreplySpec>> due(Instant now) {
        return cache.read(view -> {
            Map<String, List<AutoreplySpec>> byDepartment = new TreeMap<>();
            for (DirectoryEntry e : view.all(ObjectKind.AUTOREPLY)) {
                AutoreplySpec a = (AutoreplySpec) e.spec();
                if (a.endsAt() != null && !a.endsAt().isAfter(now)) {
                    byDepartment.computeIfAbsent(e.department(), d -> new ArrayList<>()).add(a);
                }
            }
            return byDepartment;
        });
    }

    /** Mailboxes an earlier expiry request still waits on (it had a finding): not asked again every minute. */
    private Set<String> waitingForApprover(List<AutoreplySpec> ended) {
        if (ended.isEmpty()) {
            return Set.of();
        }
        List<String> keys = ended.stream().map(AutoreplySpec::mailbox).toList();
        return new HashSet<>(em.createQuery("SELECT i.objectKey FROM ChangeItem i WHERE i.kind = :kind AND i.objectKey IN :keys "
                        + "AND i.changeRequest.status = :submitted AND i.changeRequest.createdBy = :actor", String.class)
                .setParameter("kind", ObjectKind.AUTOREPLY).setParameter("keys", keys)
                .setParameter("submitted", ChangeStatus.SUBMITTED).setParameter("actor", ACTOR)
                .getResultList());
    }
}
