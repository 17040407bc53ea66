package com.mailgov.bench;

import com.mailgov.adoption.RiskReportService;
import com.mailgov.directory.DirectoryState;
import com.mailgov.policy.Policy;
import com.mailgov.policy.PolicyDocument;
import com.mailgov.policy.PolicyEvaluator;
import com.mailgov.policy.facts.LoopFacts;
import com.mailgov.policy.rules.AmplificationRule;
import com.mailgov.policy.rules.AutoreplyAddressesRule;
import com.mailgov.policy.rules.AutoreplyIntervalRule;
import com.mailgov.policy.rules.AutoreplyLoopRule;
import com.mailgov.policy.rules.ExternalForwardRule;
import com.mailgov.policy.rules.ExternalSubscriptionRule;
import com.mailgov.policy.rules.ForwardCycleRule;
import com.mailgov.policy.rules.ListCycleRule;

import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Benchmark of the day-one risk report (not a test): the whole-directory loop analysis the report
 * runs, over PolicyEngineBenchmark's synthetic directory (100k mailboxes, 10k lists, 20k forwards,
 * 5k autoreplies, 2k subscriptions — with memberships about 282k objects). Run with bench/risk-report.sh.
 */
public final class RiskReportBenchmark {

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        DirectoryState state = new DirectoryState();
        PolicyEngineBenchmark.build(state, new Random(42));
        long objects = state.size();
        PolicyEvaluator evaluator = new PolicyEvaluator(List.of(new ForwardCycleRule(), new ListCycleRule(), new AutoreplyLoopRule(),
                new AutoreplyIntervalRule(), new AutoreplyAddressesRule(), new ExternalSubscriptionRule(),
                new ExternalForwardRule(), new AmplificationRule()));
        Policy policy = new Policy(1, PolicyDocument.empty(), List.of(), "bench", Instant.EPOCH);
        LoopFacts facts = new LoopFacts();
        long best = Long.MAX_VALUE;
        int risks = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            risks = RiskReportService.risks(evaluator, policy, facts.over(state), PolicyEngineBenchmark.INTERNAL).size();
            long ms = (System.nanoTime() - start) / 1_000_000;
            best = Math.min(best, ms);
            System.out.printf("run %d: %d ms, %d risks over %d objects%n", i + 1, ms, risks, objects);
        }
        System.out.printf("risk report: best %d ms of %d runs over %d objects (target <= 5000 ms: %s)%n", best, runs, objects,
                best <= 5000 ? "met" : "NOT met");
    }
}
