package com.mailgov.change;

import com.mailgov.policy.Finding;
import com.mailgov.security.Actor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the audit log and the webhooks record about a request. */
final class ChangePayloads {

    private ChangePayloads() {
    }

    /** What a webhook tells about a request: enough for a ticketing system to comment and transition. */
    static Map<String, Object> eventData(ChangeRequest cr, List<Finding> findings, Actor actor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", cr.id);
        m.put("status", cr.status);
        m.put("department", cr.departmentCode);
        m.put("title", cr.title);
        m.put("externalRef", ChangeRequestQueries.refOf(cr));
        m.put("baseRevision", cr.baseRevision);
        m.put("appliedRevision", cr.appliedRevision);
        m.put("policyVersion", cr.policyVersion);
        m.put("highestSeverity", Findings.highest(findings));
        m.put("findings", findings.stream().map(f -> Map.of("ruleId", f.ruleId(), "severity", f.severity())).toList());
        m.put("actor", actor.username());
        m.put("url", "/api/v1/change-requests/" + cr.id);
        return m;
    }

    /** The decision-relevant state of a request, as the audit log records it before and after. */
    static Map<String, Object> statusOf(ChangeRequest cr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", cr.status);
        m.put("decidedBy", cr.decidedBy);
        m.put("decisionComment", cr.decisionComment);
        m.put("overrideReason", cr.overrideReason);
        m.put("appliedRevision", cr.appliedRevision);
        m.put("policyVersion", cr.policyVersion);
        return m;
    }
}
