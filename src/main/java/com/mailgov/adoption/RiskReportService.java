package com.mailgov.adoption;

import com.mailgov.adoption.ImportDtos.ImportResult;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.SpecReader;
import com.mailgov.policy.Finding;
import com.mailgov.policy.PolicyEngine;
import com.mailgov.policy.PolicyEvaluator;
import com.mailgov.policy.PolicyStore;
import com.mailgov.policy.Severity;
import com.mailgov.policy.facts.FactView;
import com.mailgov.policy.facts.LoopFacts;
import com.mailgov.policy.facts.ObservedFact;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The day-one risk report: every loop finding over the whole current directory, with what the
 * servers hold but mailgov does not manage taking part (users' own responders, observed
 * subscriptions), ordered by estimated amplification; plus every unmanaged artifact the latest
 * imports could not adopt, with the reason.
 */
@ApplicationScoped
public class RiskReportService {

    /** Kinds whose objects start a loop search when the whole directory is checked. */
    private static final List<ObjectKind> SEEDS = List.of(ObjectKind.AUTOREPLY, ObjectKind.FORWARD, ObjectKind.MAILING_LIST,
            ObjectKind.EXTERNAL_SUBSCRIPTION);

    @Inject
    DirectoryCache cache;

    @Inject
    DirectoryService directory;

    @Inject
    PolicyEngine engine;

    @Inject
    PolicyStore policies;

    @Inject
    LoopFacts loopFacts;

    @Inject
    SpecReader specReader;

    @Inject
    ImportService imports;

    public record Risk(int rank, String ruleId, Severity severity, String message, String messageJa, List<String> path,
                       String remedy, String remedyJa, Long amplificationPerHour, boolean involvesUnmanaged) {
    }

    public record Unmanaged(String server, String artifact, String reason) {
    }

    public record Responder(String source, String origin, ObjectKind kind, String key) {
    }

    public record RiskReport(long revision, long policyVersion, Instant generatedAt, int findings, List<Risk> risks,
                             List<Responder> unmanagedResponders, List<Unmanaged> unmanaged) {
    }

    @jakarta.transaction.Transactional
    public RiskReport report() {
        long revision = directory.currentRevision();
        cache.refreshTo(revision);
        var policy = policies.current();
        PolicyEvaluator evaluator = new PolicyEvaluator(engine.rules());
        return cache.read(base -> {
            DirectoryView view = loopFacts.over(base);
            List<Risk> risks = risks(evaluator, policy, view, specReader::isInternal);
            List<Responder> responders = new ArrayList<>();
            for (ObjectKind kind : List.of(ObjectKind.AUTOREPLY, ObjectKind.FORWARD, ObjectKind.EXTERNAL_SUBSCRIPTION)) {
                for (ObservedFact fact : loopFacts.snapshot().all(kind)) {
                    if (!base.exists(kind, fact.spec().key())) {
                        responders.add(new Responder(fact.source(), fact.origin(), kind, fact.spec().key()));
                    }
                }
            }
            responders.sort(Comparator.comparing(Responder::key));
            List<Unmanaged> unmanaged = new ArrayList<>();
            for (ImportResult r : imports.latest()) {
                r.problems().forEach(p -> unmanaged.add(new Unmanaged(r.server(), p.artifact(), p.reason())));
            }
            return new RiskReport(revision, policy.version(), Instant.now(), risks.size(), risks, responders, unmanaged);
        });
    }

    /**
     * Every loop risk over a whole view (the directory with facts under it), most amplifying first:
     * each object that can start a loop is treated as new, so every rule searches from it.
     */
    public static List<Risk> risks(PolicyEvaluator evaluator, com.mailgov.policy.Policy policy, DirectoryView view,
                                   java.util.function.Predicate<String> isInternal) {
        List<ObjectChange> changes = new ArrayList<>();
        for (ObjectKind kind : SEEDS) {
            for (DirectoryEntry e : view.all(kind)) {
                changes.add(new ObjectChange(kind, e.spec().key(), e.department(), null, e.spec()));
            }
        }
        List<Finding> findings = evaluator.evaluate(policy, view, changes, isInternal, null, Map.of()).findings();
        List<Finding> sorted = new ArrayList<>(dedupe(findings));
        sorted.sort(Comparator.comparing((Finding f) -> f.amplificationPerHour() == null ? -1 : f.amplificationPerHour())
                .reversed().thenComparing(Finding::severity).thenComparing(Finding::ruleId));
        List<Risk> risks = new ArrayList<>();
        for (Finding f : sorted) {
            boolean unmanaged = f.path().stream().anyMatch(a -> FactView.observed(view, ObjectKind.AUTOREPLY, a).isPresent()
                    || FactView.observed(view, ObjectKind.FORWARD, a).isPresent());
            risks.add(new Risk(risks.size() + 1, f.ruleId(), f.severity(), f.message(), f.messageJa(), f.path(), f.remedy(),
                    f.remedyJa(), f.amplificationPerHour(), unmanaged));
        }
        return risks;
    }

    /** One finding per rule and path: a loop seen from several of its objects is one risk. */
    private static List<Finding> dedupe(List<Finding> findings) {
        Set<String> seen = new HashSet<>();
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (seen.add(f.ruleId() + "|" + String.join(">", f.path()))) {
                out.add(f);
            }
        }
        return out;
    }
}
