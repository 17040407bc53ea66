package com.mailgov.guard.incident;

import com.mailgov.audit.AuditLog;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.ObjectKind;
import com.mailgov.guard.detect.CycleFinder;
import com.mailgov.guard.detect.Edge;
import com.mailgov.guard.detect.LoopGuard;
import com.mailgov.security.Actor;
import com.mailgov.webhook.WebhookEvent;
import com.mailgov.webhook.WebhookOutbox;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Opens, stops, reviews and closes loop incidents; keeps the record of every held or deferred message. */
@ApplicationScoped
@Transactional
public class IncidentService {

    @Inject
    EntityManager em;

    @Inject
    IncidentStore store;

    @Inject
    AuditLog audit;

    @Inject
    WebhookOutbox webhooks;

    @Inject
    DirectoryCache directory;

    @Inject
    DirectoryService directoryService;

    @Inject
    MailgovConfig config;

    @Inject
    com.mailgov.directory.domains.CompanyDomains domains;

    @Inject
    MeterRegistry metrics;

    @Inject
    com.mailgov.change.ChangeRequestService changes;

    public List<LoopIncidentView> list(String status, int limit) {
        return store.list(status, limit);
    }

    public LoopIncidentView get(long id) {
        return store.find(id, true, false).orElseThrow(() -> ApiException.notFound("Loop incident " + id));
    }

    /**
     * Opens an incident for the cycle unless one is already open for it or one was closed within
     * the window (its counts are still in the window). Replicas race here; the partial unique index
     * lets one win.
     */
    public Optional<LoopIncidentView> open(CycleFinder.Cycle cycle, int windowSeconds, long policyVersion) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<LoopIncidentView.EdgeView> edges = cycle.edges().stream()
                .map(e -> new LoopIncidentView.EdgeView(e.edge().src(), e.edge().dst(), e.messages(), e.automated(), windowSeconds,
                        e.sample()))
                .toList();
        Map<String, Object> correlated = correlate(cycle);
        long id = ((Number) em.createNativeQuery("SELECT nextval('loop_incident_seq')").getSingleResult()).longValue();
        int inserted = em.createNativeQuery("""
                        INSERT INTO loop_incident (id, cycle_key, status, opened_at, policy_version, cycle, edges, correlated)
                        SELECT :id, :key, 'OPEN', :now, :pv, CAST(:cycle AS jsonb), CAST(:edges AS jsonb), CAST(:corr AS jsonb)
                        WHERE NOT EXISTS (SELECT 1 FROM loop_incident WHERE cycle_key = :key
                                          AND (status <> 'CLOSED' OR closed_at > :recent))
                        ON CONFLICT (cycle_key) WHERE status <> 'CLOSED' DO NOTHING""")
                .setParameter("id", id).setParameter("key", cycle.key()).setParameter("now", now).setParameter("pv", policyVersion)
                .setParameter("cycle", store.write(cycle.nodes())).setParameter("edges", store.write(edges))
                .setParameter("corr", store.write(correlated))
                .setParameter("recent", now.minusSeconds(windowSeconds))
                .executeUpdate();
        if (inserted == 0) {
            return Optional.empty();
        }
        LoopIncidentView view = store.find(id, false, false).orElseThrow();
        audit.record(Actor.system(), "loop.detected", "LOOP_INCIDENT", Long.toString(id), null, summary(view));
        webhooks.publish(summary(view), WebhookEvent.LOOP_DETECTED);
        metrics.counter("mailgov.guard.incidents", "event", "detected").increment();
        return Optional.of(view);
    }

    /** Edges of every open incident → the incident, for the hot path. */
    public Map<Edge, Long> openEdges() {
        Map<Edge, Long> out = new HashMap<>();
        for (LoopIncidentView i : store.list("OPEN", 1000)) {
            for (LoopIncidentView.EdgeView e : i.edges()) {
                out.putIfAbsent(new Edge(e.from(), e.to()), i.id());
            }
        }
        return out;
    }

    public void saveAccounts(List<LoopGuard.Accounted> accounts, String node) {
        for (LoopGuard.Accounted a : accounts) {
            em.createNativeQuery("""
                            INSERT INTO loop_held_message (incident_id, action, hook, queue_id, message_id, src, dst, observed_at, node)
                            VALUES (:i, :a, :h, :q, :m, :s, :d, :at, :node)""")
                    .setParameter("i", a.incidentId()).setParameter("a", a.action().name()).setParameter("h", a.hook().name())
                    .setParameter("q", clip(a.queueId(), 64)).setParameter("m", clip(a.messageId(), 500))
                    .setParameter("s", clip(a.edge().src(), 320)).setParameter("d", clip(a.edge().dst(), 320))
                    .setParameter("at", a.at().truncatedTo(ChronoUnit.MICROS)).setParameter("node", node)
                    .executeUpdate();
        }
    }

    /** Records the emergency stop: the incident stops holding, its messages are released, a review is due. */
    public LoopIncidentView markStopped(Actor actor, long id, Map<String, Object> stopAction, int reviewHours,
                                        java.util.UUID changeRequest) {
        LoopIncidentView before = store.find(id, false, true).orElseThrow(() -> ApiException.notFound("Loop incident " + id));
        if (!before.status().equals("OPEN")) {
            throw new ApiException(ProblemType.INVALID_STATE, "Loop incident " + id + " is " + before.status() + ", not OPEN");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.createNativeQuery("""
                        UPDATE loop_incident SET status = 'STOPPED', stopped_at = :now, stopped_by = :by,
                               stop_action = CAST(:action AS jsonb), review_due_at = :due, change_request_id = :cr WHERE id = :id""")
                .setParameter("now", now).setParameter("by", actor.username()).setParameter("action", store.write(stopAction))
                .setParameter("cr", changeRequest)
                .setParameter("due", now.plus(Duration.ofHours(reviewHours))).setParameter("id", id).executeUpdate();
        // deferred messages stay with their senders; their next attempt is accepted
        em.createNativeQuery("""
                        UPDATE loop_held_message SET released_at = :now, release_note = 'sender retries; accepted once stopped'
                        WHERE incident_id = :id AND action = 'DEFER' AND released_at IS NULL""")
                .setParameter("now", now).setParameter("id", id).executeUpdate();
        LoopIncidentView after = store.find(id, false, false).orElseThrow();
        Map<String, Object> change = new LinkedHashMap<>(summary(after));
        change.put("emergencyChange", true);
        change.put("stopAction", stopAction);
        change.put("reviewDueAt", after.reviewDueAt());
        audit.record(actor, "loop.emergency-stop", "LOOP_INCIDENT", Long.toString(id), Map.of("status", before.status()), change);
        metrics.counter("mailgov.guard.incidents", "event", "stopped").increment();
        return after;
    }

    /** Four eyes after the fact: someone other than the person who stopped it confirms the emergency change. */
    public LoopIncidentView review(Actor actor, long id, String note) {
        LoopIncidentView i = store.find(id, false, true).orElseThrow(() -> ApiException.notFound("Loop incident " + id));
        if (i.stoppedAt() == null) {
            throw new ApiException(ProblemType.INVALID_STATE, "Loop incident " + id + " has no emergency stop to review");
        }
        if (i.reviewedAt() != null) {
            throw new ApiException(ProblemType.INVALID_STATE, "Loop incident " + id + " was reviewed by " + i.reviewedBy());
        }
        if (actor.username().equals(i.stoppedBy())) {
            throw new ApiException(ProblemType.SELF_APPROVAL, "The emergency stop must be reviewed by someone other than " + i.stoppedBy());
        }
        Object change = em.createNativeQuery("SELECT change_request_id FROM loop_incident WHERE id = :id").setParameter("id", id)
                .getSingleResult();
        if (change != null) {
            // the emergency change request the stop filed is reviewed with it (same four-eyes rule)
            changes.reviewEmergency(actor, (java.util.UUID) change, note);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.createNativeQuery("UPDATE loop_incident SET reviewed_by = :by, reviewed_at = :now WHERE id = :id")
                .setParameter("by", actor.username()).setParameter("now", now).setParameter("id", id).executeUpdate();
        audit.record(actor, "loop.stop-reviewed", "LOOP_INCIDENT", Long.toString(id), null,
                note == null ? Map.of("reviewedBy", actor.username()) : Map.of("reviewedBy", actor.username(), "note", note));
        return store.find(id, true, false).orElseThrow();
    }

    /** Held messages of stopped incidents not yet released (queue ids), locked for this caller. */
    @SuppressWarnings("unchecked")
    public List<Object[]> claimReleasable(int limit) {
        return em.createNativeQuery("""
                        SELECT m.id, m.queue_id FROM loop_held_message m JOIN loop_incident i ON i.id = m.incident_id
                        WHERE i.status <> 'OPEN' AND m.released_at IS NULL AND m.action = 'HOLD'
                        ORDER BY m.id LIMIT :limit FOR UPDATE OF m SKIP LOCKED""")
                .setParameter("limit", limit).getResultList();
    }

    public void markReleased(List<Long> ids, String note) {
        if (ids.isEmpty()) {
            return;
        }
        em.createNativeQuery("UPDATE loop_held_message SET released_at = :now, release_note = :note WHERE id IN (:ids)")
                .setParameter("now", Instant.now().truncatedTo(ChronoUnit.MICROS)).setParameter("note", clip(note, 500))
                .setParameter("ids", ids).executeUpdate();
    }

    /** Stopped incidents whose cycle has cooled and whose messages are all released are closed. */
    public List<Long> closeCooled(Set<Edge> hot) {
        List<Long> closed = new ArrayList<>();
        for (LoopIncidentView i : store.list("STOPPED", 1000)) {
            boolean cooled = i.edges().stream().noneMatch(e -> hot.contains(new Edge(e.from(), e.to())));
            if (!cooled || i.messages().waiting() > 0) {
                continue;
            }
            int n = em.createNativeQuery("UPDATE loop_incident SET status = 'CLOSED', closed_at = :now WHERE id = :id AND status = 'STOPPED'")
                    .setParameter("now", Instant.now().truncatedTo(ChronoUnit.MICROS)).setParameter("id", i.id()).executeUpdate();
            if (n == 1) {
                LoopIncidentView after = store.find(i.id(), false, false).orElseThrow();
                audit.record(Actor.system(), "loop.resolved", "LOOP_INCIDENT", Long.toString(i.id()), Map.of("status", "STOPPED"),
                        summary(after));
                webhooks.publish(summary(after), WebhookEvent.LOOP_RESOLVED);
                metrics.counter("mailgov.guard.incidents", "event", "resolved").increment();
                closed.add(i.id());
            }
        }
        return closed;
    }

    /** Emergency stops past their review deadline get one reminder event. */
    public void remindOverdueReviews() {
        @SuppressWarnings("unchecked")
        List<Number> due = em.createNativeQuery("""
                        SELECT id FROM loop_incident WHERE review_due_at < :now AND reviewed_at IS NULL AND NOT reminder_sent
                        FOR UPDATE SKIP LOCKED""")
                .setParameter("now", Instant.now()).getResultList();
        for (Number n : due) {
            long id = n.longValue();
            em.createNativeQuery("UPDATE loop_incident SET reminder_sent = true WHERE id = :id").setParameter("id", id).executeUpdate();
            LoopIncidentView i = store.find(id, false, false).orElseThrow();
            Map<String, Object> data = new LinkedHashMap<>(summary(i));
            data.put("reviewDueAt", i.reviewDueAt());
            data.put("stoppedBy", i.stoppedBy());
            audit.record(Actor.system(), "loop.stop-review-overdue", "LOOP_INCIDENT", Long.toString(id), null, data);
            webhooks.publish(data, WebhookEvent.LOOP_REVIEW_DUE);
        }
    }

    public long openCount() {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM loop_incident WHERE status = 'OPEN'").getSingleResult()).longValue();
    }

    static Map<String, Object> summary(LoopIncidentView i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("status", i.status());
        m.put("cycle", i.cycle());
        m.put("edges", i.edges());
        m.put("correlated", i.correlated());
        m.put("messages", i.messages());
        return m;
    }

    /**
     * Ties the cycle to what is known: per node, whether it is internal, what the directory holds
     * for it, whether it is a list (List-Id seen on its edges) or a responder (automatic replies
     * seen from it), with the evidence.
     */
    Map<String, Object> correlate(CycleFinder.Cycle cycle) {
        directory.refreshTo(directoryService.currentRevision());
        Set<String> internal = new LinkedHashSet<>(domains.list());
        Map<String, Object> nodes = new LinkedHashMap<>();
        List<String> lists = new ArrayList<>();
        List<Map<String, Object>> responders = new ArrayList<>();
        List<String> mailboxes = new ArrayList<>();
        for (String node : cycle.nodes()) {
            int at = node.lastIndexOf('@');
            boolean isInternal = at > 0 && internal.contains(node.substring(at + 1));
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("internal", isInternal);
            directory.read(view -> {
                List<String> known = new ArrayList<>();
                for (ObjectKind k : List.of(ObjectKind.MAILBOX, ObjectKind.FORWARD, ObjectKind.MAILING_LIST, ObjectKind.AUTOREPLY)) {
                    if (view.exists(k, node)) {
                        known.add(k.name());
                    }
                }
                facts.put("directory", known);
                facts.put("registeredSubscriptions", List.copyOf(new java.util.TreeSet<>(view.subscriptionsOf(node))));
                facts.put("registeredSubscribers", List.copyOf(new java.util.TreeSet<>(view.subscribersOf(node))));
                facts.put("managedAutoreply", view.exists(ObjectKind.AUTOREPLY, node));
                return null;
            });
            for (CycleFinder.HotEdge e : cycle.edges()) {
                if (!e.edge().src().equals(node) || e.sample() == null) {
                    continue;
                }
                if (e.sample().startsWith("List-Id")) {
                    facts.put("listId", e.sample().substring(e.sample().indexOf(':') + 1).strip());
                    lists.add(node);
                } else if (e.automated() > 0) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("mailbox", node);
                    r.put("evidence", e.sample());
                    r.put("kind", responderKind(e.sample()));
                    r.put("managedByMailgov", facts.get("managedAutoreply"));
                    responders.add(r);
                }
            }
            if (isInternal) {
                mailboxes.add(node);
            }
            nodes.put(node, facts);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lists", lists);
        out.put("mailboxes", mailboxes);
        out.put("responders", responders);
        out.put("nodes", nodes);
        return out;
    }

    private static String responderKind(String evidence) {
        String e = evidence.toLowerCase(java.util.Locale.ROOT);
        if (e.contains("auto-notified")) {
            return "sieve notify (user-made responder)";
        }
        if (e.contains("auto-replied")) {
            return "vacation / autoreply";
        }
        return "automatic sender";
    }

    private static String clip(String s, int max) {
        return s == null ? null : s.length() > max ? s.substring(0, max) : s;
    }
}
