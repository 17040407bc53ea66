package com.mailgov.change;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.audit.AuditChain;
import com.mailgov.audit.AuditLog;
import com.mailgov.change.ChangeRequestDtos.ChangeRequestSummary;
import com.mailgov.change.ChangeRequestDtos.ChangeRequestView;
import com.mailgov.change.ChangeRequestDtos.Decision;
import com.mailgov.change.ChangeRequestDtos.ExternalRef;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.ItemView;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.DepartmentService;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.OverlayView;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.SpecCodec;
import com.mailgov.directory.spec.SpecReader;
import com.mailgov.policy.Finding;
import com.mailgov.policy.PolicyEngine;
import com.mailgov.policy.PolicyEvaluator;
import com.mailgov.policy.Severity;
import com.mailgov.security.Actor;
import com.mailgov.security.Roles;
import com.mailgov.ticketing.WebhookEvent;
import io.micrometer.core.instrument.MeterRegistry;
import com.mailgov.ticketing.WebhookOutbox;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import com.mailgov.web.Texts;
import com.mailgov.push.pipeline.PushJob;
import com.mailgov.push.pipeline.PushOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The change-request lifecycle: submit (evaluated at once), approve (four eyes), reject, withdraw. */
@ApplicationScoped
@Transactional
public class ChangeRequestService {

    private static final Pattern SYSTEM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    MailgovConfig config;

    @Inject
    DepartmentService departments;

    @Inject
    DirectoryService directory;

    @Inject
    DirectoryCache cache;

    @Inject
    ChangeResolver resolver;

    @Inject
    SpecReader specReader;

    @Inject
    SpecCodec codec;

    @Inject
    PolicyEngine policy;

    @Inject
    IdempotencyStore idempotency;

    @Inject
    AuditLog audit;

    @Inject
    WebhookOutbox webhooks;

    @Inject
    MeterRegistry metrics;

    @Inject
    PushOutbox pushes;

    public IdempotencyStore.Outcome submit(Actor actor, SubmitChangeRequest body, String idempotencyKey) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        IdempotencyStore.checkKey(idempotencyKey);
        String requestHash = idempotencyKey == null ? null : hash(body);
        if (idempotencyKey != null) {
            Optional<IdempotencyStore.Outcome> earlier = idempotency.claim(actor.username(), idempotencyKey, requestHash);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }

        Validated request = validate(actor, body);
        Evaluated evaluated = evaluateNew(request);
        List<ItemRequest> items = request.items();

        ChangeRequest cr = new ChangeRequest();
        cr.id = UUID.randomUUID();
        cr.departmentCode = request.department();
        cr.title = request.title();
        cr.reason = request.reason();
        ExternalRef ref = request.externalRef();
        if (ref != null) {
            cr.externalSystem = ref.system();
            cr.externalKey = ref.key();
            cr.externalUrl = ref.url();
        }
        cr.status = ChangeStatus.SUBMITTED;
        cr.baseRevision = evaluated.revision();
        cr.findings = write(evaluated.evaluation().findings());
        cr.policyVersion = evaluated.evaluation().policyVersion();
        cr.createdBy = actor.username();
        cr.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < items.size(); i++) {
            DirectorySpec spec = evaluated.resolution().itemSpecs().get(i);
            ChangeItem item = new ChangeItem();
            item.changeRequest = cr;
            item.position = i;
            item.action = items.get(i).action();
            item.kind = items.get(i).kind();
            item.objectKey = spec.key();
            item.spec = codec.write(spec);
            cr.items.add(item);
        }
        em.persist(cr);

        ChangeRequestView view = view(cr);
        String location = "/api/v1/change-requests/" + cr.id;
        IdempotencyStore.Outcome submitted = new IdempotencyStore.Outcome(201, location, write(view));
        if (idempotencyKey != null) {
            idempotency.store(actor.username(), idempotencyKey, requestHash, submitted);
        }
        count("submitted");
        webhooks.publish(eventData(cr, actor), WebhookEvent.CHANGE_SUBMITTED, WebhookEvent.CHANGE_EVALUATED);
        audit.record(actor, "change.submitted", "CHANGE_REQUEST", cr.id.toString(), null, view);
        return submitted;
    }

    /**
     * Approves and applies: re-checks against the current revision (someone else's change to the
     * same objects → 409; a BLOCK finding → 422; a WARN without a reason → 422), then writes the
     * next revision.
     */
    public ChangeRequestView approve(Actor actor, UUID id, Decision decision) {
        ChangeRequest cr = visibleForUpdate(actor, id);
        requireDecidable(actor, cr, "approve");
        FieldErrors errors = new FieldErrors();
        String comment = Texts.multiLine(decision == null ? null : decision.comment(), "comment", 4000, false, errors);
        String override = Texts.multiLine(decision == null ? null : decision.overrideReason(), "overrideReason", 4000, false, errors);
        errors.throwIfAny();

        // Evaluate before taking the approval lock; re-evaluate under it only if a revision landed meanwhile.
        Evaluated evaluated = evaluateForApproval(cr, directory.currentRevision());
        long head = directory.lockHead();
        if (evaluated.revision() != head) {
            evaluated = evaluateForApproval(cr, head);
        }
        PolicyEvaluator.Evaluation evaluation = evaluated.evaluation();
        if (evaluation.has(Severity.BLOCK)) {
            count("approval_blocked");
            List<String> rules = evaluation.ruleIds(Severity.BLOCK);
            throw new ApiException(ProblemType.POLICY_BLOCKED,
                    "Blocked by policy " + String.join(", ", rules) + ": " + firstMessage(evaluation, Severity.BLOCK),
                    List.of(), Map.of("rules", rules, "findings", evaluation.findings()));
        }
        if (evaluation.has(Severity.WARN) && override == null) {
            count("approval_needs_reason");
            List<String> rules = evaluation.ruleIds(Severity.WARN);
            throw new ApiException(ProblemType.OVERRIDE_REASON_REQUIRED,
                    "Warnings from " + String.join(", ", rules) + " need an overrideReason that says why approving is fine",
                    List.of(new Problem.FieldError("overrideReason", "is required when there are WARN findings")),
                    Map.of("rules", rules, "findings", evaluation.findings()));
        }

        Map<String, Object> before = statusOf(cr);
        cr.findings = write(evaluation.findings());
        cr.policyVersion = evaluation.policyVersion();
        cr.decidedBy = actor.username();
        cr.decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        cr.decisionComment = comment;
        cr.overrideReason = override;
        cr.status = ChangeStatus.APPROVED;
        List<ObjectChange> objectChanges = evaluated.resolution().changes();
        cr.appliedRevision = directory.apply(head, cr.id, actor, objectChanges);
        // The push jobs commit with the approval; a request nothing needs to be pushed for is done now.
        int jobs = pushes.enqueueForChange(cr.id, cr.appliedRevision, objectChanges, actor);
        cr.status = jobs == 0 ? ChangeStatus.APPLIED : ChangeStatus.APPLYING;
        Map<String, Object> after = statusOf(cr);
        after.put("findings", evaluation.findings().stream().map(Finding::ruleId).toList());
        after.put("pushJobs", jobs);
        count("approved");
        if (jobs == 0) {
            webhooks.publish(eventData(cr, actor), WebhookEvent.CHANGE_APPROVED, WebhookEvent.CHANGE_APPLIED);
        } else {
            webhooks.publish(eventData(cr, actor), WebhookEvent.CHANGE_APPROVED);
        }
        audit.record(actor, "change.approved", "CHANGE_REQUEST", cr.id.toString(), before, after);
        return view(cr);
    }

    /**
     * Called by the push worker in its transaction when one of the request's jobs finished: once
     * none is pending the request is APPLIED, or FAILED if a server could not take it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pushSettled(UUID id) {
        ChangeRequest cr = em.find(ChangeRequest.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (cr == null) {
            return;
        }
        List<PushOutbox.PushView> jobs = pushes.forChange(id);
        if (jobs.stream().anyMatch(j -> j.status() == PushJob.Status.PENDING)) {
            return;
        }
        boolean failed = jobs.stream().anyMatch(j -> j.status() == PushJob.Status.FAILED);
        ChangeStatus next = failed ? ChangeStatus.FAILED : ChangeStatus.APPLIED;
        if (cr.status == next || cr.status != ChangeStatus.APPLYING && cr.status != ChangeStatus.FAILED) {
            return;
        }
        Map<String, Object> before = statusOf(cr);
        cr.status = next;
        Map<String, Object> after = statusOf(cr);
        after.put("servers", jobs.stream().map(j -> j.server() + ": " + j.status()).toList());
        count(failed ? "push_failed" : "applied");
        Actor system = Actor.system();
        webhooks.publish(eventData(cr, system), failed ? WebhookEvent.CHANGE_FAILED : WebhookEvent.CHANGE_APPLIED);
        audit.record(system, failed ? "change.failed" : "change.applied", "CHANGE_REQUEST", cr.id.toString(), before, after);
    }

    /** A FAILED request's jobs go back into the queue (after the server was fixed). */
    public ChangeRequestView retryPush(Actor actor, UUID id) {
        ChangeRequest cr = visibleForUpdate(actor, id);
        requireStatus(cr, ChangeStatus.FAILED, "retry the push of");
        Map<String, Object> before = statusOf(cr);
        for (PushOutbox.PushView job : pushes.forChange(id)) {
            if (job.status() == PushJob.Status.FAILED) {
                pushes.retry(job.job(), actor);
            }
        }
        cr.status = ChangeStatus.APPLYING;
        audit.record(actor, "change.push_retried", "CHANGE_REQUEST", cr.id.toString(), before, statusOf(cr));
        return view(cr);
    }

    public ChangeRequestView reject(Actor actor, UUID id, Decision decision) {
        ChangeRequest cr = visibleForUpdate(actor, id);
        requireDecidable(actor, cr, "reject");
        FieldErrors errors = new FieldErrors();
        String comment = Texts.multiLine(decision == null ? null : decision.comment(), "comment", 4000, true, errors);
        errors.throwIfAny();
        Map<String, Object> before = statusOf(cr);
        cr.status = ChangeStatus.REJECTED;
        cr.decidedBy = actor.username();
        cr.decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        cr.decisionComment = comment;
        count("rejected");
        webhooks.publish(eventData(cr, actor), WebhookEvent.CHANGE_REJECTED);
        audit.record(actor, "change.rejected", "CHANGE_REQUEST", cr.id.toString(), before, statusOf(cr));
        return view(cr);
    }

    public ChangeRequestView withdraw(Actor actor, UUID id) {
        ChangeRequest cr = visibleForUpdate(actor, id);
        if (!cr.createdBy.equals(actor.username())) {
            throw ApiException.forbidden("Only the person who submitted a request can withdraw it");
        }
        requireStatus(cr, ChangeStatus.SUBMITTED, "withdraw");
        Map<String, Object> before = statusOf(cr);
        cr.status = ChangeStatus.WITHDRAWN;
        cr.decidedBy = actor.username();
        cr.decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        count("withdrawn");
        audit.record(actor, "change.withdrawn", "CHANGE_REQUEST", cr.id.toString(), before, statusOf(cr));
        return view(cr);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ChangeRequestView get(Actor actor, UUID id) {
        return view(visible(actor, id));
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
                highest(readFindings(c.findings)), c.createdBy, c.createdAt, refOf(c))).toList();
    }

    /**
     * Resolves a stored request against the current directory and hands the object changes and the
     * directory as it would be after them to {@code planner} (e.g. to preview what servers receive).
     */
    public <T> T plan(Actor actor, UUID id, java.util.function.BiFunction<DirectoryView, List<ObjectChange>, T> planner) {
        ChangeRequest cr = visible(actor, id);
        cache.refreshTo(directory.currentRevision());
        List<ChangeResolver.ItemInput> inputs = inputsOf(cr);
        return cache.read(view -> {
            List<ObjectChange> changes = resolver.resolve(cr.departmentCode, inputs, view).changes();
            return planner.apply(new OverlayView(view, changes), changes);
        });
    }

    /** What-if: resolves and evaluates a request body against the current directory; stores nothing. */
    public WhatIf whatIf(Actor actor, SubmitChangeRequest body) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        Evaluated evaluated = evaluateNew(validate(actor, body));
        List<Finding> findings = evaluated.evaluation().findings();
        return new WhatIf(evaluated.revision(), evaluated.evaluation().policyVersion(), findings, highest(findings),
                evaluated.resolution().changes().stream()
                        .map(c -> new WhatIf.Change(c.kind(), c.key(), c.type().name())).toList());
    }

    /** The findings a request would get now, and the object changes it would make. */
    public record WhatIf(long baseRevision, long policyVersion, List<Finding> findings, Severity highestSeverity,
                         List<Change> changes) {
        public record Change(ObjectKind kind, String key, String type) {
        }
    }

    /** A submission whose own fields are valid and whose department the actor may act for. */
    private record Validated(String department, String title, String reason, ExternalRef externalRef, List<ItemRequest> items) {
    }

    private Validated validate(Actor actor, SubmitChangeRequest body) {
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
        if (departments.find(department).isEmpty()) {
            throw ApiException.invalid("department", "no department " + department);
        }
        if (actor.has(Roles.REQUESTER) && !actor.has(Roles.APPROVER) && !department.equals(actor.department())) {
            throw ApiException.forbidden("department", "You can submit requests only for your own department");
        }
        return new Validated(department, title, reason, ref, items);
    }

    private Evaluated evaluateNew(Validated request) {
        cache.refreshTo(directory.currentRevision());
        List<ChangeResolver.ItemInput> inputs = request.items().stream()
                .map(i -> i == null ? null : new ChangeResolver.ItemInput(i.action(), i.kind(), i.spec()))
                .toList();
        JsonNode facts = requestFacts(request.department(), request.title(), request.reason(), inputs, null);
        return cache.read(view -> {
            ChangeResolver.Resolution resolution = resolver.resolve(request.department(), inputs, view);
            return new Evaluated(view.revision(), resolution,
                    evaluate(new OverlayView(view, resolution.changes()), resolution.changes(), request.department(), facts));
        });
    }

    /** A request resolved and evaluated against one revision. */
    private record Evaluated(long revision, ChangeResolver.Resolution resolution, PolicyEvaluator.Evaluation evaluation) {
    }

    /**
     * Resolves the request's items against the directory at {@code revision} (or later) and
     * evaluates them. Objects changed since the request's base revision are a conflict: the
     * requester decided on a state that no longer exists.
     */
    private Evaluated evaluateForApproval(ChangeRequest cr, long revision) {
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
                throw concurrentChange(cr, conflicts);
            }
            ChangeResolver.Resolution resolution = resolver.resolve(cr.departmentCode, inputs, view);
            for (ObjectChange change : resolution.changes()) {
                conflictAfter(cr.baseRevision, view, change.kind(), change.key()).ifPresent(conflicts::add);
            }
            if (!conflicts.isEmpty()) {
                throw concurrentChange(cr, conflicts);
            }
            return new Evaluated(view.revision(), resolution,
                    evaluate(new OverlayView(view, resolution.changes()), resolution.changes(), cr.departmentCode, facts));
        });
    }

    private PolicyEvaluator.Evaluation evaluate(OverlayView proposed, List<ObjectChange> changes, String department, JsonNode facts) {
        return policy.evaluate(proposed, changes, specReader::isInternal, department, facts);
    }

    /** A stored request's items as the resolver takes them (each spec parsed once). */
    private List<ChangeResolver.ItemInput> inputsOf(ChangeRequest cr) {
        return cr.items.stream().map(i -> new ChangeResolver.ItemInput(i.action, i.kind, readTree(i.spec))).toList();
    }

    /**
     * The request as custom CEL rules see it: {department, title, reason, items: [{action, kind, key, spec}]}.
     * {@code keys} are the stored items' object keys (null before the request is stored).
     */
    private JsonNode requestFacts(String department, String title, String reason, List<ChangeResolver.ItemInput> items,
                                  List<String> keys) {
        com.fasterxml.jackson.databind.node.ObjectNode node = json.createObjectNode();
        node.put("department", department);
        node.put("title", title);
        node.put("reason", reason);
        com.fasterxml.jackson.databind.node.ArrayNode array = node.putArray("items");
        for (int n = 0; n < items.size(); n++) {
            ChangeResolver.ItemInput item = items.get(n);
            if (item == null) {
                continue;
            }
            com.fasterxml.jackson.databind.node.ObjectNode i = array.addObject();
            i.put("action", item.action() == null ? null : item.action().name());
            i.put("kind", item.kind() == null ? null : item.kind().name());
            i.put("key", keys == null ? null : keys.get(n));
            i.set("spec", item.spec());
        }
        return node;
    }

    /** Another department's request is 404 to a requester: its existence is not theirs to know. */
    private ChangeRequest visible(Actor actor, UUID id) {
        return checkVisible(actor, id, em.find(ChangeRequest.class, id));
    }

    /**
     * The request, locked (FOR UPDATE) until the decision commits: approve, reject, withdraw and
     * retry of one request run one after the other, and each sees the status the one before left,
     * so a reject racing an approval cannot overwrite it (issue 12 #6).
     */
    private ChangeRequest visibleForUpdate(Actor actor, UUID id) {
        return checkVisible(actor, id, em.find(ChangeRequest.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE));
    }

    private static ChangeRequest checkVisible(Actor actor, UUID id, ChangeRequest cr) {
        if (cr == null || (actor.limitedToOwnDepartment() && !cr.departmentCode.equals(actor.department()))) {
            throw ApiException.notFound("Change request " + id);
        }
        return cr;
    }

    private void requireDecidable(Actor actor, ChangeRequest cr, String verb) {
        if (!actor.has(Roles.APPROVER)) {
            throw ApiException.forbidden("Only approvers can " + verb + " requests");
        }
        if (cr.createdBy.equals(actor.username())) {
            throw new ApiException(ProblemType.SELF_APPROVAL,
                    "You submitted this request, so someone else must " + verb + " it (four eyes); you can withdraw it");
        }
        requireStatus(cr, ChangeStatus.SUBMITTED, verb);
    }

    private static void requireStatus(ChangeRequest cr, ChangeStatus expected, String verb) {
        if (cr.status != expected) {
            throw new ApiException(ProblemType.INVALID_STATE,
                    "Cannot " + verb + " a request that is " + cr.status + "; only " + expected + " requests can be");
        }
    }

    private Optional<Map<String, Object>> conflictAfter(long base, DirectoryView view, ObjectKind kind, String key) {
        return directory.changedAfter(base, view, kind, key)
                .map(rev -> Map.of("kind", kind.name(), "object", key, "revision", rev));
    }

    /** Requests by outcome, for /q/metrics. */
    private void count(String outcome) {
        metrics.counter("mailgov.change.requests", "outcome", outcome).increment();
    }

    private ApiException concurrentChange(ChangeRequest cr, List<Map<String, Object>> conflicts) {
        count("approval_conflict");
        Map<String, Object> first = conflicts.get(0);
        return new ApiException(ProblemType.CONCURRENT_CHANGE,
                first.get("kind") + " " + first.get("object") + " was changed in revision " + first.get("revision")
                        + ", after this request's base revision " + cr.baseRevision
                        + "; submit a new request based on the current directory",
                List.of(), Map.of("conflicts", conflicts, "baseRevision", cr.baseRevision));
    }

    private ExternalRef externalRef(ExternalRef ref, FieldErrors errors) {
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
        return new ExternalRef(ref.system(), key, url);
    }

    ChangeRequestView view(ChangeRequest cr) {
        List<Finding> findings = readFindings(cr.findings);
        List<ItemView> items = cr.items.stream().map(i -> new ItemView(i.action, i.kind, i.objectKey, i.spec)).toList();
        return new ChangeRequestView(cr.id, cr.status, cr.departmentCode, cr.title, cr.reason, refOf(cr),
                cr.baseRevision, cr.appliedRevision, items, findings, highest(findings), cr.policyVersion,
                cr.createdBy, cr.createdAt, cr.decidedBy, cr.decidedAt, cr.decisionComment, cr.overrideReason,
                cr.status == ChangeStatus.SUBMITTED ? null : pushes.forChange(cr.id));
    }

    private static ExternalRef refOf(ChangeRequest cr) {
        return cr.externalSystem == null ? null : new ExternalRef(cr.externalSystem, cr.externalKey, cr.externalUrl);
    }

    /** What a webhook tells about a request: enough for a ticketing system to comment and transition. */
    private Map<String, Object> eventData(ChangeRequest cr, Actor actor) {
        List<Finding> findings = readFindings(cr.findings);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", cr.id);
        m.put("status", cr.status);
        m.put("department", cr.departmentCode);
        m.put("title", cr.title);
        m.put("externalRef", refOf(cr));
        m.put("baseRevision", cr.baseRevision);
        m.put("appliedRevision", cr.appliedRevision);
        m.put("policyVersion", cr.policyVersion);
        m.put("highestSeverity", highest(findings));
        m.put("findings", findings.stream().map(f -> Map.of("ruleId", f.ruleId(), "severity", f.severity())).toList());
        m.put("actor", actor.username());
        m.put("url", "/api/v1/change-requests/" + cr.id);
        return m;
    }

    /** The decision-relevant state of a request, as the audit log records it before and after. */
    private static Map<String, Object> statusOf(ChangeRequest cr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", cr.status);
        m.put("decidedBy", cr.decidedBy);
        m.put("decisionComment", cr.decisionComment);
        m.put("overrideReason", cr.overrideReason);
        m.put("appliedRevision", cr.appliedRevision);
        m.put("policyVersion", cr.policyVersion);
        return m;
    }

    private static Severity highest(List<Finding> findings) {
        return findings.stream().map(Finding::severity).min(Enum::compareTo).orElse(null);
    }

    private static String firstMessage(PolicyEvaluator.Evaluation evaluation, Severity severity) {
        return evaluation.findings().stream().filter(f -> f.severity() == severity).map(Finding::message).findFirst().orElse("");
    }

    private String hash(SubmitChangeRequest body) {
        try {
            String canonical = AuditChain.canonicalJson(json.valueToTree(body));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode readTree(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Finding> readFindings(String stored) {
        try {
            return json.readValue(stored, new TypeReference<List<Finding>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
