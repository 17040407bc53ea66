package com.mailgov.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mailgov.change.SubmissionValidator.ValidSubmission;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.OverlayView;
import com.mailgov.directory.spec.SpecReader;
import com.mailgov.json.Json;
import com.mailgov.policy.Finding;
import com.mailgov.policy.PolicyEngine;
import com.mailgov.policy.PolicyEvaluator;
import com.mailgov.policy.Severity;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A request resolved against a revision of the directory and evaluated by the policies: for a new
 * submission, at approval (with the conflict check against the request's base revision), as a
 * what-if, and as the plan a preview is computed from.
 */
@ApplicationScoped
@Transactional
public class ChangeEvaluation {

    @Inject
    Json json;

    @Inject
    DirectoryService directory;

    @Inject
    DirectoryCache cache;

    @Inject
    ChangeResolver resolver;

    @Inject
    SpecReader specReader;

    @Inject
    PolicyEngine policy;

    @Inject
    ChangeMetrics metrics;

    /** A request resolved and evaluated against one revision. */
    public record Evaluated(long revision, ChangeResolver.Resolution resolution, PolicyEvaluator.Evaluation evaluation) {
    }

    /** The findings a request would get now, and the object changes it would make. */
    public record WhatIf(long baseRevision, long policyVersion, List<Finding> findings, Severity highestSeverity,
                         List<Change> changes) {
        public record Change(ObjectKind kind, String key, String type) {
        }
    }

    public Evaluated evaluateNew(ValidSubmission request) {
        return evaluateNew(request, false);
    }

    /** {@code serverState}: the request describes what a server already holds (an import proposal). */
    public Evaluated evaluateNew(ValidSubmission request, boolean serverState) {
        cache.refreshTo(directory.currentRevision());
        List<ChangeResolver.ItemInput> inputs = request.items().stream()
                .map(i -> i == null ? null : new ChangeResolver.ItemInput(i.action(), i.kind(), i.spec()))
                .toList();
        JsonNode facts = requestFacts(request.department(), request.title(), request.reason(), inputs, null);
        return cache.read(view -> {
            ChangeResolver.Resolution resolution = resolver.resolve(request.department(), inputs, view);
            return new Evaluated(view.revision(), resolution,
                    evaluate(new OverlayView(view, resolution.changes()), resolution.changes(), request.department(), facts,
                            serverState));
        });
    }

    /** What-if: resolves and evaluates a submission against the current directory; stores nothing. */
    public WhatIf whatIf(ValidSubmission request) {
        Evaluated evaluated = evaluateNew(request);
        List<Finding> findings = evaluated.evaluation().findings();
        return new WhatIf(evaluated.revision(), evaluated.evaluation().policyVersion(), findings, Findings.highest(findings),
                evaluated.resolution().changes().stream()
                        .map(c -> new WhatIf.Change(c.kind(), c.key(), c.type().name())).toList());
    }

    /**
     * Resolves the request's items against the directory at {@code revision} (or later) and
     * evaluates them. Objects changed since the request's base revision are a conflict: the
     * requester decided on a state that no longer exists.
     */
    public Evaluated evaluateForApproval(ChangeRequest cr, long revision) {
        return evaluateUnlessConflict(cr, revision, true).orElseThrow();
    }

    /** As {@link #evaluateForApproval}, but a conflict is an empty answer instead of a refusal (nothing rolls back). */
    public Optional<Evaluated> evaluateUnlessConflict(ChangeRequest cr, long revision) {
        return evaluateUnlessConflict(cr, revision, false);
    }

    private Optional<Evaluated> evaluateUnlessConflict(ChangeRequest cr, long revision, boolean refuse) {
        cache.refreshTo(revision);
        List<ChangeResolver.ItemInput> inputs = inputsOf(cr);
        JsonNode facts = requestFacts(cr.departmentCode, cr.title, cr.reason, inputs,
                cr.items.stream().map(i -> i.objectKey).toList());
        return cache.read(view -> {
            List<Map<String, Object>> conflicts = new ArrayList<>();
            for (ChangeItem item : cr.items) {
                conflictAfter(cr.baseRevision, view, item.kind, item.objectKey).ifPresent(conflicts::add);
            }
            if (!conflicts.isEmpty()) {
                return conflict(cr, conflicts, refuse);
            }
            ChangeResolver.Resolution resolution = resolver.resolve(cr.departmentCode, inputs, view);
            for (ObjectChange change : resolution.changes()) {
                conflictAfter(cr.baseRevision, view, change.kind(), change.key()).ifPresent(conflicts::add);
            }
            if (!conflicts.isEmpty()) {
                return conflict(cr, conflicts, refuse);
            }
            return Optional.of(new Evaluated(view.revision(), resolution,
                    evaluate(new OverlayView(view, resolution.changes()), resolution.changes(), cr.departmentCode, facts,
                            cr.describesServerState)));
        });
    }

    /**
     * Resolves a stored request against the current directory and hands the object changes and the
     * directory as it would be after them to {@code planner} (e.g. to preview what servers receive).
     */
    public <T> T plan(ChangeRequest cr, BiFunction<DirectoryView, List<ObjectChange>, T> planner) {
        cache.refreshTo(directory.currentRevision());
        List<ChangeResolver.ItemInput> inputs = inputsOf(cr);
        return cache.read(view -> {
            List<ObjectChange> changes = resolver.resolve(cr.departmentCode, inputs, view).changes();
            return planner.apply(new OverlayView(view, changes), changes);
        });
    }

    private PolicyEvaluator.Evaluation evaluate(OverlayView proposed, List<ObjectChange> changes, String department, JsonNode facts,
                                                boolean serverState) {
        return policy.evaluate(proposed, changes, specReader::isInternal, department, facts, serverState);
    }

    /** A stored request's items as the resolver takes them (each spec parsed once). */
    private List<ChangeResolver.ItemInput> inputsOf(ChangeRequest cr) {
        return cr.items.stream().map(i -> new ChangeResolver.ItemInput(i.action, i.kind, json.tree(i.spec))).toList();
    }

    /**
     * The request as custom CEL rules see it: {department, title, reason, items: [{action, kind, key, spec}]}.
     * {@code keys} are the stored items' object keys (null before the request is stored).
     */
    private JsonNode requestFacts(String department, String title, String reason, List<ChangeResolver.ItemInput> items,
                                  List<String> keys) {
        ObjectNode node = json.object();
        node.put("department", department);
        node.put("title", title);
        node.put("reason", reason);
        ArrayNode array = node.putArray("items");
        for (int n = 0; n < items.size(); n++) {
            ChangeResolver.ItemInput item = items.get(n);
            if (item == null) {
                continue;
            }
            ObjectNode i = array.addObject();
            i.put("action", item.action() == null ? null : item.action().name());
            i.put("kind", item.kind() == null ? null : item.kind().name());
            i.put("key", keys == null ? null : keys.get(n));
            i.set("spec", item.spec());
        }
        return node;
    }

    private Optional<Map<String, Object>> conflictAfter(long base, DirectoryView view, ObjectKind kind, String key) {
        return directory.changedAfter(base, view, kind, key)
                .map(rev -> Map.of("kind", kind.name(), "object", key, "revision", rev));
    }

    private Optional<Evaluated> conflict(ChangeRequest cr, List<Map<String, Object>> conflicts, boolean refuse) {
        if (refuse) {
            throw concurrentChange(cr, conflicts);
        }
        return Optional.empty();
    }

    private ApiException concurrentChange(ChangeRequest cr, List<Map<String, Object>> conflicts) {
        metrics.count("approval_conflict");
        Map<String, Object> first = conflicts.get(0);
        return new ApiException(ProblemType.CONCURRENT_CHANGE,
                first.get("kind") + " " + first.get("object") + " was changed in revision " + first.get("revision")
                        + ", after this request's base revision " + cr.baseRevision
                        + "; submit a new request based on the current directory",
                List.of(), Map.of("conflicts", conflicts, "baseRevision", cr.baseRevision));
    }
}
