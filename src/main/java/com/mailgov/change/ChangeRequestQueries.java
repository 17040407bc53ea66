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
import com.mailgov.push.pipeline.PushOutbox;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

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

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ChangeRequestSummary> list(Actor actor, ChangeStatus status, String department,
                                           String externalSystem, String externalKey, int limit) {
        String scope = actor.readScope(department, "requests");
        StringBuilder jpql = new StringBuilder("FROM ChangeRequest c WHERE 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (status != null) {
            jpql.append(" AND c.status = :status");
            params.put("status", status);
        }
        if (scope != null) {
            jpql.append(" AND c.departmentCode = :department");
            params.put("department", scope);
        }
        if (externalSystem != null) {
            jpql.append(" AND c.externalSystem = :system");
            params.put("system", externalSystem);
        }
        if (externalKey != null) {
            jpql.append(" AND c.externalKey = :key");
            params.put("key", externalKey);
        }
        jpql.append(" ORDER BY c.createdAt DESC");
        var query = em.createQuery(jpql.toString(), ChangeRequest.class).setMaxResults(limit);
        params.forEach(query::setParameter);
        return query.getResultStream().map(c -> new ChangeRequestSummary(c.id, c.status, c.departmentCode, c.title,
                Findings.highest(findings(c)), c.createdBy, c.createdAt, refOf(c))).toList();
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
        List<Finding> findings = findings(cr);
        List<ItemView> items = cr.items.stream().map(i -> new ItemView(i.action, i.kind, i.objectKey, i.spec)).toList();
        return new ChangeRequestView(cr.id, cr.status, cr.departmentCode, cr.title, cr.reason, refOf(cr),
                cr.baseRevision, cr.appliedRevision, items, findings, Findings.highest(findings), cr.policyVersion,
                cr.createdBy, cr.createdAt, cr.decidedBy, cr.decidedAt, cr.decisionComment, cr.overrideReason, cr.standardChange,
                cr.changeType, cr.reviewDueAt, cr.reviewedBy, cr.reviewedAt,
                cr.status == ChangeStatus.SUBMITTED ? null : pushes.forChange(cr.id),
                ChangeGuards.allowed(actor, cr));
    }

    List<Finding> findings(ChangeRequest cr) {
        return json.read(cr.findings, FINDINGS);
    }

    static ExternalRef refOf(ChangeRequest cr) {
        return cr.externalSystem == null ? null : new ExternalRef(cr.externalSystem, cr.externalKey, cr.externalUrl, cr.externalAuthor);
    }
}
