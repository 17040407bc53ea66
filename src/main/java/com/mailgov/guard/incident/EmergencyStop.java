package com.mailgov.guard.incident;

import com.mailgov.change.ChangeAction;
import com.mailgov.change.ChangeRequest;
import com.mailgov.change.ChangeRequestDtos.ChangeRequestView;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestService;
import com.mailgov.change.ChangeStatus;
import com.mailgov.directory.DirectoryObject;
import com.mailgov.directory.ObjectKind;
import com.mailgov.guard.GuardConfig;
import com.mailgov.guard.detect.GuardPolicy;
import com.mailgov.json.Json;
import com.mailgov.policy.PolicyStore;
import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.connector.DovecotSieveConnector;
import com.mailgov.push.connector.MailServerConnector;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.server.ConnectorFactory;
import com.mailgov.push.server.MailServer;
import com.mailgov.push.server.MailServerService;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One approver (or the policy) cuts the loop at once. A mailgov autoreply on the cycle is switched
 * off by an emergency change request (applied at once, pushed like any change, its text kept in the
 * stop action for a restore); a responder mailgov does not manage is suspended on every Dovecot
 * server mailgov knows (its active Sieve script is deactivated, the text kept for a restore).
 * Then the incident stops holding, held messages are released, and a second person must review the
 * emergency change before the deadline (policy {@code reviewHours}).
 */
@ApplicationScoped
public class EmergencyStop {

    @Inject
    IncidentService incidents;

    @Inject
    MailServerService servers;

    @Inject
    ConnectorFactory connectors;

    @Inject
    PolicyStore policies;

    @Inject
    GuardPolicy guardPolicy;

    @Inject
    ChangeRequestService changes;

    @Inject
    GuardConfig config;

    @Inject
    Json json;

    public LoopIncidentView stop(Actor actor, long id) {
        LoopIncidentView incident = QuarkusTransaction.requiringNew().call(() -> incidents.get(id));
        if (!incident.status().equals("OPEN")) {
            throw new ApiException(ProblemType.INVALID_STATE, "Loop incident " + id + " is " + incident.status() + ", not OPEN");
        }
        Set<String> mailboxes = responders(incident);
        if (mailboxes.isEmpty()) {
            throw new ApiException(ProblemType.INVALID_STATE,
                    "Loop incident " + id + " names no internal responder to suspend; break the cycle by hand");
        }
        int reviewHours = policies.current().configFor(guardPolicy, null).param("reviewHours");
        List<String> problems = new ArrayList<>();
        // mailgov's own autoreplies: switched off by an emergency change through the push path
        List<DirectoryObject> managed = QuarkusTransaction.requiringNew().call(() -> managedAutoreplies(mailboxes));
        Optional<ChangeRequestView> change = managed.isEmpty() ? Optional.empty()
                : emergencyChange(actor, id, managed, reviewHours, problems);
        Set<String> userMade = new LinkedHashSet<>(mailboxes);
        managed.forEach(o -> userMade.remove(o.objectKey));
        List<Map<String, Object>> suspended = userMade.isEmpty() ? List.of() : suspendByHand(userMade, problems);
        if (suspended.isEmpty() && change.isEmpty()) {
            throw new ApiException(ProblemType.SERVER_UNAVAILABLE, "No active responder of " + mailboxes
                    + " could be suspended" + (problems.isEmpty() ? " (no Dovecot server registered, or no active script)" : ": " + problems)
                    + "; the incident stays open and keeps holding the cycle's messages");
        }
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("suspended", suspended);
        change.ifPresent(cr -> {
            action.put("changeRequest", cr.id().toString());
            action.put("changeStatus", ChangeStatus.APPLIED.name()); // waited for above
            action.put("autoreplies", managed.stream().map(o -> restore(o)).toList());
        });
        action.put("problems", problems);
        action.put("at", Instant.now().toString());
        return QuarkusTransaction.requiringNew().call(() -> incidents.markStopped(actor, id, action, reviewHours,
                change.map(ChangeRequestView::id).orElse(null)));
    }

    /** Current AUTOREPLY objects of the directory for these mailboxes. */
    private static List<DirectoryObject> managedAutoreplies(Set<String> mailboxes) {
        return DirectoryObject.<DirectoryObject>list("kind = ?1 and objectKey in ?2 and toRevision is null",
                ObjectKind.AUTOREPLY, mailboxes);
    }

    /**
     * One emergency change per department removes the autoreplies from the directory; the push
     * pipeline takes them off Dovecot. Waits (bounded) for the push: held messages are released
     * only once the responder is gone, or they would feed it again.
     */
    private Optional<ChangeRequestView> emergencyChange(Actor actor, long id, List<DirectoryObject> managed, int reviewHours,
                                                        List<String> problems) {
        Map<String, List<DirectoryObject>> byDepartment = new LinkedHashMap<>();
        managed.forEach(o -> byDepartment.computeIfAbsent(o.departmentCode, d -> new ArrayList<>()).add(o));
        if (byDepartment.size() > 1) {
            problems.add("autoreplies of several departments: only those of " + byDepartment.keySet().iterator().next()
                    + " are in this emergency change");
        }
        Map.Entry<String, List<DirectoryObject>> first = byDepartment.entrySet().iterator().next();
        List<ItemRequest> items = first.getValue().stream()
                .map(o -> new ItemRequest(ChangeAction.DELETE, ObjectKind.AUTOREPLY, json.toTree(Map.of("mailbox", o.objectKey))))
                .toList();
        Instant due = Instant.now().plus(Duration.ofHours(reviewHours));
        ChangeRequestView cr = QuarkusTransaction.requiringNew().call(() -> changes.emergency(actor, first.getKey(),
                "Emergency stop of loop incident " + id,
                "The loop guard found a mail loop (incident " + id + ") through the autoreply of "
                        + first.getValue().stream().map(o -> o.objectKey).toList()
                        + ". The autoreply is switched off at once; its text is kept in the incident's stop action to restore it"
                        + " with a normal change request.", items, due));
        long deadline = System.nanoTime() + config.stopPushTimeout().toNanos();
        ChangeStatus status = cr.status();
        while (status == ChangeStatus.APPLYING && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            status = QuarkusTransaction.requiringNew().call(() -> ChangeRequest.<ChangeRequest>findById(cr.id()).status);
        }
        if (status != ChangeStatus.APPLIED) {
            throw new ApiException(ProblemType.SERVER_UNAVAILABLE, "The emergency change " + cr.id() + " removed the autoreply from the"
                    + " directory, but its push is " + status + " after " + config.stopPushTimeout().toSeconds()
                    + " s; the incident stays open and keeps holding the cycle's messages (stop again to deactivate the script"
                    + " over ManageSieve)");
        }
        return Optional.of(cr);
    }

    /** The autoreply as it was, ready to be filed again: a normal change request restores it. */
    private Map<String, Object> restore(DirectoryObject o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mailbox", o.objectKey);
        m.put("restore", Map.of("action", "CREATE", "kind", "AUTOREPLY", "spec", json.tree(o.spec)));
        return m;
    }

    /** A responder mailgov does not manage: its active Sieve script is deactivated on every Dovecot server. */
    private List<Map<String, Object>> suspendByHand(Set<String> mailboxes, List<String> problems) {
        List<MailServerTarget> targets = QuarkusTransaction.requiringNew().call(() -> {
            List<MailServerTarget> out = new ArrayList<>();
            for (MailServer s : MailServer.<MailServer>list("enabled = true and kind = ?1", ServerKind.DOVECOT_MANAGESIEVE)) {
                out.add(servers.target(s));
            }
            return out;
        });
        List<Map<String, Object>> suspended = new ArrayList<>();
        for (MailServerTarget target : targets) {
            try (MailServerConnector c = connectors.open(target)) {
                for (String mailbox : mailboxes) {
                    Optional<DovecotSieveConnector.SuspendedScript> s = ((DovecotSieveConnector) c).suspendActiveScript(mailbox);
                    s.ifPresent(script -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("server", target.name());
                        m.put("mailbox", script.mailbox());
                        m.put("script", script.name());
                        m.put("text", script.text());
                        m.put("how", "deactivated over ManageSieve (SETACTIVE \"\"); the script is kept and can be activated again");
                        suspended.add(m);
                    });
                }
            } catch (ConnectorException e) {
                problems.add(target.name() + ": " + e.getMessage());
            } catch (Exception e) {
                problems.add(target.name() + ": " + e);
            }
        }
        return suspended;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> responders(LoopIncidentView incident) {
        Set<String> out = new LinkedHashSet<>();
        Object r = incident.correlated().get("responders");
        if (r instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("mailbox") instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
