package com.mailgov.change;

import com.mailgov.audit.AuditChain;
import com.mailgov.audit.AuditLog;
import com.mailgov.change.ChangeEvaluation.Evaluated;
import com.mailgov.change.ChangeRequestDtos.ChangeRequestView;
import com.mailgov.change.ChangeRequestDtos.Decision;
import com.mailgov.change.ChangeRequestDtos.ExternalRef;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.change.SubmissionValidator.ValidSubmission;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.SpecCodec;
import com.mailgov.json.Json;
import com.mailgov.policy.Finding;
import com.mailgov.policy.PolicyEvaluator;
import com.mailgov.policy.Severity;
import com.mailgov.policy.standard.StandardChangeCandidate;
import com.mailgov.policy.standard.StandardChanges;
import com.mailgov.push.pipeline.PushJob;
import com.mailgov.push.pipeline.PushOutbox;
import com.mailgov.push.pipeline.PushSettled;
import com.mailgov.security.Actor;
import com.mailgov.webhook.WebhookEvent;
import com.mailgov.webhook.WebhookOutbox;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The change-request lifecycle commands: submit (evaluated at once), approve (four eyes), reject,
 * withdraw, retry a failed push, and settle once the pushes are done. Validation, evaluation and
 * reading live in {@link SubmissionValidator}, {@link ChangeEvaluation} and {@link ChangeRequestQueries};
 * who may do what lives in {@link ChangeGuards}.
 */
@ApplicationScoped
@Transactional
public class ChangeRequestService {

    /** Who decided a request a standard change class approved: the policy, not a person. */
    public static final String STANDARD_CHANGE_ACTOR = "system:standard-change";

    @Inject
    EntityManager em;

    @Inject
    Json json;

    @Inject
    SubmissionValidator validator;

    @Inject
    ChangeEvaluation evaluation;

    @Inject
    ChangeRequestQueries queries;

    @Inject
    DirectoryService directory;

    @Inject
    SpecCodec codec;

    @Inject
    IdempotencyStore idempotency;

    @Inject
    AuditLog audit;

    @Inject
    WebhookOutbox webhooks;

    @Inject
    ChangeMetrics metrics;

    @Inject
    PushOutbox pushes;

    @Inject
    StandardChanges standardChanges;

    /** A submitted request: its id and the response body as first returned (a replay returns it again). */
    @Inject
    jakarta.enterprise.event.Event<ChangeApproved> approvedEvents;

    public record Submitted(UUID id, String body) {
    }

    public Submitted submit(Actor actor, SubmitChangeRequest body, String idempotencyKey) {
        return submit(actor, body, idempotencyKey, null);
    }

    /**
     * Submits; {@code ownMailbox} is the submitter's own mailbox when they act for it themselves
     * (self-service), so a standard change class may approve the request on the policy's behalf.
     */
    public Submitted submit(Actor actor, SubmitChangeRequest body, String idempotencyKey, String ownMailbox) {
        return submitAs(actor, body, idempotencyKey, new Origin(ownMailbox, null, false));
    }

    /**
     * Submits a request that describes what a server already holds (an import proposal): evaluated
     * so that loops already running on the servers are known risks, not blocks (PolicyEngine).
     */
    public Submitted submitServerState(Actor actor, SubmitChangeRequest body) {
        return submitAs(actor, body, null, new Origin(null, null, true));
    }

    /**
     * Submits what the company directory's sync proposes ({@code source} is the directory source's
     * name), so a standard change class for directory changes may approve it on the policy's behalf.
     */
    public Submitted submitFromDirectory(Actor actor, SubmitChangeRequest body, String source) {
        return submitAs(actor, body, null, new Origin(null, source, false));
    }

    /**
     * Where a request came from: self-service or the directory sync (for the standard change
     * classes), or an import describing what a server holds (serverState); or none of them.
     */
    private record Origin(String ownMailbox, String directorySource, boolean serverState) {
        boolean any() {
            return ownMailbox != null || directorySource != null;
        }

        StandardChangeCandidate candidate(Evaluated evaluated) {
            return new StandardChangeCandidate(ownMailbox, directorySource, evaluated.resolution().changes(),
                    evaluated.evaluation().findings());
        }
    }

    private Submitted submitAs(Actor actor, SubmitChangeRequest body, String idempotencyKey, Origin origin) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        IdempotencyStore.checkKey(idempotencyKey);
        String requestHash = idempotencyKey == null ? null : hash(body);
        if (idempotencyKey != null) {
            Optional<IdempotencyStore.Outcome> earlier = idempotency.claim(actor.username(), idempotencyKey, requestHash);
            if (earlier.isPresent()) {
                return new Submitted(earlier.get().resource(), earlier.get().body());
            }
        }

        ValidSubmission request = validator.validate(actor, body);
        Evaluated evaluated = evaluation.evaluateNew(request, origin.serverState());

        ChangeRequest cr = newRequest(actor, request, evaluated);
        cr.describesServerState = origin.serverState();
        em.persist(cr);

        ChangeRequestView view = queries.view(actor, cr);
        Submitted submitted = new Submitted(cr.id, json.write(view));
        if (idempotencyKey != null) {
            idempotency.store(actor.username(), idempotencyKey, requestHash, new IdempotencyStore.Outcome(cr.id, submitted.body()));
        }
        metrics.count("submitted");
        webhooks.publish(eventData(cr, actor), WebhookEvent.CHANGE_SUBMITTED, WebhookEvent.CHANGE_EVALUATED);
        // the view as just written for the answer: the audit row gets the same JSON without serialising the view again
        audit.record(actor, "change.submitted", "CHANGE_REQUEST", cr.id.toString(), null, json.tree(submitted.body()));
        if (origin.any()) {
            standardChanges.match(evaluated.evaluation().policyVersion(), origin.candidate(evaluated))
                    .ifPresent(match -> approveAsStandardChange(actor, cr, origin));
        }
        return submitted;
    }

    private ChangeRequest newRequest(Actor actor, ValidSubmission request, Evaluated evaluated) {
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
            cr.externalAuthor = ref.author();
        }
        cr.status = ChangeStatus.SUBMITTED;
        cr.baseRevision = evaluated.revision();
        cr.findings = json.write(evaluated.evaluation().findings());
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
        return cr;
    }

    /**
     * An emergency change: filed and applied at once on one approver's (or the policy's) word, to
     * stop harm in progress — the loop guard switching off a mailgov autoreply on a mail loop. The
     * findings are recorded but do not hold it (it takes a responder away; waiting is the harm).
     * It goes through the normal apply and push path; a second person reviews it before
     * {@code reviewDueAt} ({@link #reviewEmergency}).
     */
    public ChangeRequestView emergency(Actor actor, String department, String title, String reason, List<ItemRequest> items,
                                       Instant reviewDueAt) {
        ValidSubmission request = new ValidSubmission(department, title, reason, null, items);
        Evaluated evaluated = evaluation.evaluateNew(request);
        ChangeRequest cr = newRequest(actor, request, evaluated);
        cr.changeType = ChangeType.EMERGENCY;
        cr.reviewDueAt = reviewDueAt.truncatedTo(ChronoUnit.MICROS);
        em.persist(cr);
        audit.record(actor, "change.submitted", "CHANGE_REQUEST", cr.id.toString(), null, queries.view(actor, cr));
        long head = directory.lockHead();
        Evaluated atHead = evaluation.evaluateUnlessConflict(cr, head).orElseThrow(() -> new ApiException(ProblemType.CONFLICT,
                "The objects of the emergency change " + cr.id + " changed meanwhile; try again"));
        metrics.count("approved_emergency");
        applyApproval(actor, cr, atHead, head, "Emergency change (review by someone other than " + actor.username()
                + " due by " + cr.reviewDueAt + ")", null, null);
        return queries.view(actor, cr);
    }

    /** Four eyes after the fact: someone other than the one who applied the emergency change confirms it. */
    public ChangeRequestView reviewEmergency(Actor actor, UUID id, String note) {
        ChangeRequest cr = queries.visibleForUpdate(actor, id);
        ChangeGuards.requireReviewable(actor, cr);
        Map<String, Object> before = ChangePayloads.statusOf(cr);
        cr.reviewedBy = actor.username();
        cr.reviewedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> after = ChangePayloads.statusOf(cr);
        after.put("reviewedBy", cr.reviewedBy);
        if (note != null) {
            after.put("note", note);
        }
        audit.record(actor, "change.emergency-reviewed", "CHANGE_REQUEST", cr.id.toString(), before, after);
        return queries.view(actor, cr);
    }

    /**
     * The policy approves a request of a standard change class by itself: checked again at the
     * head revision under the approval lock (a finding that appeared meanwhile leaves it to an
     * approver), recorded with the class and policy version, decided by {@code system:standard-change}.
     */
    private void approveAsStandardChange(Actor submitter, ChangeRequest cr, Origin origin) {
        long head = directory.lockHead();
        Optional<Evaluated> atHead = evaluation.evaluateUnlessConflict(cr, head);
        if (atHead.isEmpty()) {
            return; // someone changed the mailbox meanwhile: an approver decides
        }
        Evaluated evaluated = atHead.get();
        PolicyEvaluator.Evaluation result = evaluated.evaluation();
        Optional<StandardChanges.Match> still = standardChanges.match(result.policyVersion(), origin.candidate(evaluated));
        if (still.isEmpty()) {
            return;
        }
        Actor policy = new Actor(STANDARD_CHANGE_ACTOR, java.util.Set.of(), cr.departmentCode, submitter.sourceIp(),
                submitter.requestId());
        metrics.count("approved_standard_change");
        applyApproval(policy, cr, evaluated, head, "Standard change " + still.get().classId() + " (policy version "
                + still.get().policyVersion() + ")", null, still.get().classId());
    }

    /**
     * A change mailgov makes by itself (an autoreply whose period ended): submitted and, under the
     * approval lock, approved by the same system actor, recorded with {@code why}. It is evaluated
     * like any request: a finding, or someone else's change to the same objects, leaves it
     * SUBMITTED for an approver instead.
     *
     * @return the request, and whether it was approved
     */
    public AutomaticChange applyAutomatically(Actor system, SubmitChangeRequest body, String why) {
        UUID id = submit(system, body, null).id();
        ChangeRequest cr = em.find(ChangeRequest.class, id);
        long head = directory.lockHead();
        Optional<Evaluated> atHead = evaluation.evaluateUnlessConflict(cr, head);
        if (atHead.isEmpty() || !atHead.get().evaluation().findings().isEmpty()) {
            return new AutomaticChange(id, false);
        }
        metrics.count("approved_automatically");
        applyApproval(system, cr, atHead.get(), head, why, null, null);
        return new AutomaticChange(id, true);
    }

    public record AutomaticChange(UUID id, boolean approved) {
    }

    /**
     * Approves and applies: re-checks against the current revision (someone else's change to the
     * same objects → 409; a BLOCK finding → 422; a WARN without a reason → 422), then writes the
     * next revision.
     */
    public ChangeRequestView approve(Actor actor, UUID id, Decision decision) {
        ChangeRequest cr = queries.visibleForUpdate(actor, id);
        ChangeGuards.require(actor, cr, RequestAction.APPROVE);
        FieldErrors errors = new FieldErrors();
        String comment = Texts.multiLine(decision == null ? null : decision.comment(), "comment", 4000, false, errors);
        String override = Texts.multiLine(decision == null ? null : decision.overrideReason(), "overrideReason", 4000, false, errors);
        errors.throwIfAny();

        // Evaluated once, under the approval lock: evaluating before it too paid twice whenever another
        // approval landed in between, which with several approvers at work was nearly always.
        long head = directory.lockHead();
        Evaluated evaluated = evaluation.evaluateForApproval(cr, head);
        PolicyEvaluator.Evaluation result = evaluated.evaluation();
        if (result.has(Severity.BLOCK)) {
            metrics.count("approval_blocked");
            List<String> rules = result.ruleIds(Severity.BLOCK);
            throw new ApiException(ProblemType.POLICY_BLOCKED,
                    "Blocked by policy " + String.join(", ", rules) + ": " + Findings.firstMessage(result.findings(), Severity.BLOCK),
                    List.of(), Map.of("rules", rules, "findings", result.findings()));
        }
        if (result.has(Severity.WARN) && override == null) {
            metrics.count("approval_needs_reason");
            List<String> rules = result.ruleIds(Severity.WARN);
            throw new ApiException(ProblemType.OVERRIDE_REASON_REQUIRED,
                    "Warnings from " + String.join(", ", rules) + " need an overrideReason that says why approving is fine",
                    List.of(new Problem.FieldError("overrideReason", "is required when there are WARN findings")),
                    Map.of("rules", rules, "findings", result.findings()));
        }

        // the jobs just queued are all the request has: answered without reading them back
        return queries.view(actor, cr, applyApproval(actor, cr, evaluated, head, comment, override, null));
    }

    /**
     * Records the decision, writes the next revision and enqueues the pushes, in the caller's
     * transaction; returns the push jobs.
     */
    private List<PushOutbox.PushView> applyApproval(Actor actor, ChangeRequest cr, Evaluated evaluated, long head, String comment, String override,
                               String standardChange) {
        PolicyEvaluator.Evaluation result = evaluated.evaluation();
        Map<String, Object> before = ChangePayloads.statusOf(cr);
        cr.findings = json.write(result.findings());
        cr.policyVersion = result.policyVersion();
        cr.standardChange = standardChange;
        cr.decidedBy = actor.username();
        cr.decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        cr.decisionComment = comment;
        cr.overrideReason = override;
        cr.status = ChangeStatus.APPROVED;
        List<ObjectChange> objectChanges = evaluated.resolution().changes();
        cr.appliedRevision = directory.apply(head, cr.id, actor, objectChanges);
        // The push jobs commit with the approval; a request nothing needs to be pushed for is done now.
        approvedEvents.fire(new ChangeApproved(cr.id, cr.appliedRevision));
        List<PushOutbox.PushView> pushJobs = pushes.enqueueForChange(cr.id, cr.appliedRevision, objectChanges, actor);
        int jobs = pushJobs.size();
        cr.status = jobs == 0 ? ChangeStatus.APPLIED : ChangeStatus.APPLYING;
        Map<String, Object> after = ChangePayloads.statusOf(cr);
        after.put("findings", result.findings().stream().map(Finding::ruleId).toList());
        after.put("pushJobs", jobs);
        if (standardChange != null) {
            after.put("standardChange", standardChange);
            after.put("policyVersion", result.policyVersion());
        }
        metrics.count("approved");
        if (jobs == 0) {
            webhooks.publish(eventData(cr, actor), WebhookEvent.CHANGE_APPROVED, WebhookEvent.CHANGE_APPLIED);
        } else {
            webhooks.publish(eventData(cr, actor), WebhookEvent.CHANGE_APPROVED);
        }
        boolean emergency = cr.changeType == ChangeType.EMERGENCY;
        if (emergency) {
            after.put("type", cr.changeType);
            after.put("reviewDueAt", cr.reviewDueAt);
        }
        audit.record(actor, emergency ? "change.emergency-approved" : "change.approved", "CHANGE_REQUEST", cr.id.toString(),
                before, after);
        return pushJobs;
    }

    /**
     * The push pipeline announces, in its transaction, that one of the request's jobs finished (or
     * went away): once none is pending the request is APPLIED, or FAILED if a server could not take it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void pushSettled(@Observes PushSettled settled) {
        UUID id = settled.changeRequest();
        ChangeRequest cr = em.find(ChangeRequest.class, id, LockModeType.PESSIMISTIC_WRITE);
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
        Map<String, Object> before = ChangePayloads.statusOf(cr);
        cr.status = next;
        Map<String, Object> after = ChangePayloads.statusOf(cr);
        after.put("servers", jobs.stream().map(j -> j.server() + ": " + j.status()).toList());
        metrics.count(failed ? "push_failed" : "applied");
        Actor system = Actor.system();
        webhooks.publish(eventData(cr, system), failed ? WebhookEvent.CHANGE_FAILED : WebhookEvent.CHANGE_APPLIED);
        audit.record(system, failed ? "change.failed" : "change.applied", "CHANGE_REQUEST", cr.id.toString(), before, after);
    }

    /** A FAILED request's jobs go back into the queue (after the server was fixed). */
    public ChangeRequestView retryPush(Actor actor, UUID id) {
        ChangeRequest cr = queries.visibleForUpdate(actor, id);
        ChangeGuards.require(actor, cr, RequestAction.RETRY_PUSH);
        Map<String, Object> before = ChangePayloads.statusOf(cr);
        for (PushOutbox.PushView job : pushes.forChange(id)) {
            if (job.status() == PushJob.Status.FAILED) {
                pushes.retry(job.job(), actor);
            }
        }
        cr.status = ChangeStatus.APPLYING;
        audit.record(actor, "change.push_retried", "CHANGE_REQUEST", cr.id.toString(), before, ChangePayloads.statusOf(cr));
        return queries.view(actor, cr);
    }

    public ChangeRequestView reject(Actor actor, UUID id, Decision decision) {
        ChangeRequest cr = queries.visibleForUpdate(actor, id);
        ChangeGuards.require(actor, cr, RequestAction.REJECT);
        FieldErrors errors = new FieldErrors();
        String comment = Texts.multiLine(decision == null ? null : decision.comment(), "comment", 4000, true, errors);
        errors.throwIfAny();
        Map<String, Object> before = ChangePayloads.statusOf(cr);
        cr.status = ChangeStatus.REJECTED;
        cr.decidedBy = actor.username();
        cr.decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        cr.decisionComment = comment;
        metrics.count("rejected");
        webhooks.publish(eventData(cr, actor), WebhookEvent.CHANGE_REJECTED);
        audit.record(actor, "change.rejected", "CHANGE_REQUEST", cr.id.toString(), before, ChangePayloads.statusOf(cr));
        return queries.view(actor, cr);
    }

    public ChangeRequestView withdraw(Actor actor, UUID id) {
        ChangeRequest cr = queries.visibleForUpdate(actor, id);
        ChangeGuards.require(actor, cr, RequestAction.WITHDRAW);
        Map<String, Object> before = ChangePayloads.statusOf(cr);
        cr.status = ChangeStatus.WITHDRAWN;
        cr.decidedBy = actor.username();
        cr.decidedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        metrics.count("withdrawn");
        audit.record(actor, "change.withdrawn", "CHANGE_REQUEST", cr.id.toString(), before, ChangePayloads.statusOf(cr));
        return queries.view(actor, cr);
    }

    private Map<String, Object> eventData(ChangeRequest cr, Actor actor) {
        return ChangePayloads.eventData(cr, queries.findings(cr), actor);
    }

    private String hash(SubmitChangeRequest body) {
        try {
            String canonical = AuditChain.canonicalJson(json.toTree(body));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
