package com.mailgov.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.OverlayView;
import com.mailgov.policy.facts.LoopFacts;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Evaluates requests with the current policy version and every rule bean. */
@ApplicationScoped
public class PolicyEngine {

    @Inject
    Instance<PolicyRule> ruleBeans;

    @Inject
    PolicyStore store;

    @Inject
    MeterRegistry metrics;

    @Inject
    LoopFacts loopFacts;

    private PolicyEvaluator evaluator;

    @PostConstruct
    void init() {
        evaluator = new PolicyEvaluator(ruleBeans.stream().toList());
    }

    public PolicyEvaluator.Evaluation evaluate(DirectoryView proposed, List<ObjectChange> changes, Predicate<String> isInternal,
                                               String department, JsonNode request) {
        return evaluate(proposed, changes, isInternal, department, request, false);
    }

    /**
     * {@code serverState}: the request describes what a server already holds (an import proposal);
     * loops already running there are known risks, not blocks ({@link KnownRisks}).
     */
    public PolicyEvaluator.Evaluation evaluate(DirectoryView proposed, List<ObjectChange> changes, Predicate<String> isInternal,
                                               String department, JsonNode request, boolean serverState) {
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = (Map<String, Object>) CustomRuleFindings.celValue(request);
        // What the servers hold but mailgov does not manage (hand-made responders, observed
        // subscriptions) takes part in every loop search.
        PolicyEvaluator.Evaluation evaluation = evaluator.evaluate(store.current(), loopFacts.over(proposed), changes, isInternal,
                department, facts);
        if (serverState && proposed instanceof OverlayView overlay) {
            evaluation = KnownRisks.of(evaluation, loopFacts.over(overlay.base()), loopFacts.over(proposed));
        }
        for (Finding f : evaluation.findings()) {
            metrics.counter("mailgov.policy.findings", "rule", f.ruleId(), "severity", f.severity().name()).increment();
        }
        return evaluation;
    }

    public List<PolicyRule> rules() {
        return evaluator.rules();
    }
}
