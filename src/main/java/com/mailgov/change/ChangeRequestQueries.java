package com.mailgov.change;

import com.fasterxml.jackson.core.type.TypeReference;
import com.mailgov.change.ChangeRequestDtos.ChangeRequestSummary;
import com.mailgov.change.ChangeRequestDtos.ChangeRequestView;
import com.mailgov.change.ChangeRequestDtos.ExternalRef;
import com.mailgov.change.ChangeRequestDtos.ItemView;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.json.Json;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Severity;
import com.mailgov.push.pipeline.PushOutbox;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.Cursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Reading requests: one with what the reader may do with it, lists, and the plan of a stored request. */
@ApplicationScoped
public class ChangeRequestQueries {

    private static final TypeReference<List<Finding>> FINDINGS = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    Json json;

    @Inject
    PushOutbox pushes;

    @Inject
    ChangeEvaluation evaluation;

    @Transactional(Transactional.TxType.SUPPORTS)
    public ChangeRequestView get(Actor actor, UUID id) {
        return view(actor, visible(actor, id));
    }

    /** The cursor list name of change request pages. */
    public static final String PAGES_NAME = "change-requests";

    /**
     * Which requests to list and in which order. {@code oldestFirst} is the approvers' queue: the
     * request waiting longest comes first, however old it is.
     */
    public record ListQuery(ChangeStatus status, String department, String externalSystem, String externalKey,
                            Severity highestSeverity, boolean oldestFirst) {
    }

    /** One page of summaries with the cursors of its neighbours (null at the ends). */
    public record SummaryPage(List<ChangeRequestSummary> items, String next, String previous) {
    }

    /** Keyset pages on (created_at, id): every request is reachable, the oldest pending one too. */
    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public SummaryPage page(Actor actor, ListQuery q, Cursor cursor, int limit) {
        String scope = actor.readScope(q.department(), "requests");
        boolean ascending = q.oldestFirst() != (cursor != null && cursor.back());
        StringBuilder sql = new StringBuilder("SELECT * FROM change_request WHERE true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (q.status() != null) {
            sql.append(" AND status = :status");
            params.put("status", q.status().name());
        }
        if (scope != null) {
            sql.append(" AND department_code = :department");
            params.put("department", scope);
        }
        if (q.externalSystem() != null) {
            sql.append(" AND external_system = :system");
            params.put("system", q.externalSystem());
        }
        if (q.externalKey() != null) {
            sql.append(" AND external_key = :key");
            params.put("key", q.externalKey());
        }
        if (q.highestSeverity() != null) {
            sql.append(highestSeverityIs(q.highestSeverity()));
        }
        if (cursor != null) {
            sql.append(ascending ? " AND (created_at, id) > (:at, :id)" : " AND (created_at, id) < (:at, :id)");
            params.put("at", cursor.micros(0));
            params.put("id", cursor.uuid(1));
        }
        String direction = ascending ? "ASC" : "DESC";
        sql.append(" ORDER BY created_at ").append(direction).append(", id ").append(direction).append(" LIMIT :fetch");
        params.put("fetch", limit + 1);
        var query = em.createNativeQuery(sql.toString(), ChangeRequest.class);
        params.forEach(query::setParameter);
        Cursor.Page<ChangeRequest> page = Cursor.Page.of((List<ChangeRequest>) query.getResultList(), limit, cursor);
        Function<ChangeRequest, String[]> position = c -> new String[]{Cursor.micros(c.createdAt), c.id.toString()};
        return new SummaryPage(page.items().stream().map(this::summary).toList(),
                page.nextToken(PAGES_NAME, position), page.previousToken(PAGES_NAME, position));
    }

    /**
     * The highest severity among the stored findings, as SQL on the jsonb column (so the filter
     * needs no page-sized window): BLOCK if any finding is BLOCK; WARN if any is WARN and none BLOCK; …
     */
    private static String highestSeverityIs(Severity severity) {
        StringBuilder sql = new StringBuilder(" AND findings @> '[{\"severity\":\"" + severity.name() + "\"}]'");
        for (Severity higher : Severity.values()) {
            if (higher.ordinal() < severity.ordinal()) {
                sql.append(" AND NOT findings @> '[{\"severity\":\"").append(higher.name()).append("\"}]'");
            }
        }
        return sql.toString();
    }

    /** How many requests there are in each status (of one department when the actor or the filter says so). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<ChangeStatus, Long> countByStatus(Actor actor, String department) {
        String scope = actor.readScope(department, "requests");
        var query = em.createQuery("SELECT c.status, count(c) FROM ChangeRequest c"
                + (scope == null ? "" : " WHERE c.departmentCode = :department") + " GROUP BY c.status", Object[].class);
        if (scope != null) {
            query.setParameter("department", scope);
        }
        Map<ChangeStatus, Long> counts = new EnumMap<>(ChangeStatus.class);
        query.getResultList().forEach(r -> counts.put((ChangeStatus) r[0], ((Number) r[1]).longValue()));
        return counts;
    }

    private ChangeRequestSummary summary(ChangeRequest c) {
        return new ChangeRequestSummary(c.id, c.status, c.departmentCode, c.title, Findings.highest(findings(c)),
                c.createdBy, c.createdAt, refOf(c));
    }

    /**
     * Resolves a stored request against the current directory and hands the object changes and the
     * directory as it would be after them to {@code planner} (e.g. to preview what servers receive).
     */
    @Transactional
    public <T> T plan(Actor actor, UUID id, BiFunction<DirectoryView, List<ObjectChange>, T> planner) {
        return evaluation.plan(visible(actor, id), planner);
    }

    // The helpers below carry no transaction annotation: they run in their caller's (ArC intercepts self-calls too).

    /** Another department's request is 404 to a requester: its existence is not theirs to know. */
    ChangeRequest visible(Actor actor, UUID id) {
        return checkVisible(actor, id, em.find(ChangeRequest.class, id));
    }

    /**
     * The request, locked (FOR UPDATE) until the decision commits: approve, reject, withdraw and
     * retry of one request run one after the other, and each sees the status the one before left,
     * so a reject racing an approval cannot overwrite it (issue 12 #6).
     */
    ChangeRequest visibleForUpdate(Actor actor, UUID id) {
        return checkVisible(actor, id, em.find(ChangeRequest.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    private static ChangeRequest checkVisible(Actor actor, UUID id, ChangeRequest cr) {
        if (cr == null || (actor.limitedToOwnDepartment() && !cr.departmentCode.equals(actor.department()))) {
            throw ApiException.notFound("Change request " + id);
        }
        return cr;
    }

    ChangeRequestView view(Actor actor, ChangeRequest cr) {
        return view(actor, cr, cr.status == ChangeStatus.SUBMITTED ? null : pushes.forChange(cr.id));
    }

    /** {@code pushJobs}: the request's push jobs, when the caller has them already (null for a SUBMITTED request). */
    ChangeRequestView view(Actor actor, ChangeRequest cr, List<PushOutbox.PushView> pushJobs) {
        List<Finding> findings = findings(cr);
        List<ItemView> items = cr.items.stream().map(i -> new ItemView(i.action, i.kind, i.objectKey, i.spec)).toList();
        return new ChangeRequestView(cr.id, cr.status, cr.departmentCode, cr.title, cr.reason, refOf(cr),
                cr.baseRevision, cr.appliedRevision, items, findings, Findings.highest(findings), cr.policyVersion,
                cr.createdBy, cr.createdAt, cr.decidedBy, cr.decidedAt, cr.decisionComment, cr.overrideReason, cr.standardChange,
                cr.changeType, cr.reviewDueAt, cr.reviewedBy, cr.reviewedAt,
                pushJobs, ChangeGuards.allowed(actor, cr));
    }

    List<Finding> findings(ChangeRequest cr) {
        return json.read(cr.findings, FINDINGS);
    }

    static ExternalRef refOf(ChangeRequest cr) {
        return cr.externalSystem == null ? null : new ExternalRef(cr.externalSystem, cr.externalKey, cr.externalUrl, cr.externalAuthor);
    }
}
