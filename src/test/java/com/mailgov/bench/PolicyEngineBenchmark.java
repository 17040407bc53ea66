package com.mailgov.bench;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryState;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.OverlayView;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.policy.Policy;
import com.mailgov.policy.PolicyDocument;
import com.mailgov.policy.PolicyEvaluator;
import com.mailgov.policy.PolicyRule;
import com.mailgov.policy.rules.AmplificationRule;
import com.mailgov.policy.rules.AutoreplyAddressesRule;
import com.mailgov.policy.rules.AutoreplyIntervalRule;
import com.mailgov.policy.rules.AutoreplyLoopRule;
import com.mailgov.policy.rules.ExternalForwardRule;
import com.mailgov.policy.rules.ExternalSubscriptionRule;
import com.mailgov.policy.rules.ForwardCycleRule;
import com.mailgov.policy.rules.ListCycleRule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Benchmark of the loop-risk engine (not a test): a synthetic directory of 100k mailboxes, 10k
 * lists, 20k forwards, 5k autoreplies and 2k external subscriptions; 1,000 random change
 * requests evaluated incrementally (the service's way), and the same requests against a full
 * re-scan of the graph. Run with bench/policy-engine.sh.
 */
public final class PolicyEngineBenchmark {

    static final int MAILBOXES = 100_000;
    static final int LISTS = 10_000;
    static final int FORWARDS = 20_000;
    static final int AUTOREPLIES = 5_000;
    static final int SUBSCRIPTIONS = 2_000;
    static final int REQUESTS = 1_000;
    static final Predicate<String> INTERNAL = a -> a.endsWith("@corp.example");

    public static void main(String[] args) {
        int rescans = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Random random = new Random(42);
        long heapBefore = usedHeap();
        DirectoryState state = new DirectoryState();
        long t0 = System.nanoTime();
        build(state, random);
        long buildMs = (System.nanoTime() - t0) / 1_000_000;
        long heapAfter = usedHeap();
        System.out.printf("directory: %d objects built in %d ms; in-memory graph %.1f MB%n",
                state.size(), buildMs, (heapAfter - heapBefore) / 1e6);

        List<PolicyRule> rules = List.of(new ForwardCycleRule(), new ListCycleRule(), new AutoreplyLoopRule(),
                new AutoreplyIntervalRule(), new AutoreplyAddressesRule(), new ExternalSubscriptionRule(),
                new ExternalForwardRule(), new AmplificationRule());
        PolicyEvaluator evaluator = new PolicyEvaluator(rules);
        Policy policy = new Policy(1, PolicyDocument.empty(), List.of(), "bench", Instant.EPOCH);

        List<List<ObjectChange>> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(randomRequest(state, random));
        }
        // Warm-up: let the JIT compile the evaluation paths.
        for (int round = 0; round < 3; round++) {
            for (List<ObjectChange> r : requests) {
                evaluate(evaluator, policy, state, r);
            }
        }
        long[] nanos = new long[REQUESTS];
        long findings = 0;
        for (int i = 0; i < REQUESTS; i++) {
            long start = System.nanoTime();
            findings += evaluate(evaluator, policy, state, requests.get(i)).findings().size();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double p50 = nanos[REQUESTS / 2] / 1e6;
        double p99 = nanos[(int) (REQUESTS * 0.99)] / 1e6;
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        System.out.printf("incremental: %d requests, %d findings; p50 %.3f ms, p99 %.3f ms, max %.3f ms, mean %.3f ms%n",
                REQUESTS, findings, p50, p99, nanos[REQUESTS - 1] / 1e6, mean);

        // Full re-scan: every object of the directory treated as new, plus the request.
        List<ObjectChange> everything = new ArrayList<>();
        for (ObjectKind kind : ObjectKind.values()) {
            for (DirectoryEntry e : state.all(kind)) {
                everything.add(new ObjectChange(kind, e.spec().key(), e.department(), null, e.spec()));
            }
        }
        long rescanTotal = 0;
        long rescanFindings = 0;
        for (int i = 0; i < rescans; i++) {
            List<ObjectChange> all = new ArrayList<>(everything);
            all.addAll(requests.get(i));
            long start = System.nanoTime();
            rescanFindings = evaluator.evaluate(policy, new OverlayView(state, requests.get(i)), all, INTERNAL, "BENCH", Map.of())
                    .findings().size();
            rescanTotal += System.nanoTime() - start;
        }
        double rescanMs = rescanTotal / 1e6 / rescans;
        System.out.printf("full re-scan: %.1f ms per request (mean of %d; %d findings over the whole directory)%n",
                rescanMs, rescans, rescanFindings);
        System.out.printf("speed-up: %.0fx at p50, %.0fx at p99, %.0fx on the mean%n", rescanMs / p50, rescanMs / p99, rescanMs / mean);
        System.out.printf("targets: p99 <= 5 ms: %s; >= 50x faster than re-scan: %s; graph <= 200 MB: %s%n",
                p99 <= 5 ? "met" : "NOT met", rescanMs / mean >= 50 ? "met" : "NOT met",
                (heapAfter - heapBefore) / 1e6 <= 200 ? "met" : "NOT met");
    }

    private static PolicyEvaluator.Evaluation evaluate(PolicyEvaluator evaluator, Policy policy, DirectoryState state,
                                                        List<ObjectChange> changes) {
        return evaluator.evaluate(policy, new OverlayView(state, changes), changes, INTERNAL, "BENCH", Map.of());
    }

    static String mailbox(int i) {
        return "user" + i + "@corp.example";
    }

    static String list(int i) {
        return "list" + i + "@corp.example";
    }

    static void build(DirectoryState state, Random random) {
        for (int i = 0; i < MAILBOXES; i++) {
            state.put(entry(new MailboxSpec(mailbox(i), "User " + i)));
        }
        for (int i = 0; i < LISTS; i++) {
            state.put(entry(new MailingListSpec(list(i), "List " + i, null, random.nextInt(10) == 0, random.nextInt(3) != 0)));
            int members = 5 + random.nextInt(20);
            for (int m = 0; m < members; m++) {
                int roll = random.nextInt(100);
                String member;
                if (roll < 5 && i + 1 < LISTS) {
                    member = list(i + 1 + random.nextInt(Math.min(100, LISTS - i - 1))); // nested, no cycles
                } else if (roll < 15) {
                    member = "partner" + random.nextInt(50_000) + "@partner.example";
                } else {
                    member = mailbox(random.nextInt(MAILBOXES));
                }
                state.put(entry(new ListMemberSpec(list(i), member)));
            }
        }
        for (int i = 0; i < FORWARDS; i++) {
            String target = random.nextInt(20) == 0 ? "home" + i + "@home.example" : mailbox(random.nextInt(MAILBOXES));
            state.put(entry(new ForwardSpec("alias" + i + "@corp.example", List.of(target), false)));
        }
        for (int i = 0; i < AUTOREPLIES; i++) {
            String box = mailbox(random.nextInt(MAILBOXES));
            state.put(entry(new AutoreplySpec(box, "不在", "不在です。", null, null, 7,
                    random.nextBoolean() ? AutoreplySpec.Audience.ALL : AutoreplySpec.Audience.INTERNAL, List.of())));
        }
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            state.put(entry(new ExternalSubscriptionSpec(mailbox(random.nextInt(MAILBOXES)),
                    "ml" + random.nextInt(500) + "@partner.example", null, null)));
        }
    }

    static List<ObjectChange> randomRequest(DirectoryState state, Random random) {
        List<ObjectChange> changes = new ArrayList<>();
        int items = 1 + random.nextInt(3);
        for (int i = 0; i < items; i++) {
            DirectorySpec spec = switch (random.nextInt(4)) {
                case 0 -> new AutoreplySpec(mailbox(random.nextInt(MAILBOXES)), "不在", "不在です。", null, null,
                        random.nextInt(3) == 0 ? 0 : 7, random.nextBoolean() ? AutoreplySpec.Audience.ALL : AutoreplySpec.Audience.INTERNAL, List.of());
                case 1 -> new ForwardSpec("new" + random.nextInt(1_000_000) + "@corp.example",
                        List.of(random.nextBoolean() ? mailbox(random.nextInt(MAILBOXES)) : "alias" + random.nextInt(FORWARDS) + "@corp.example"), false);
                case 2 -> new ListMemberSpec(list(random.nextInt(LISTS)),
                        random.nextInt(10) == 0 ? list(random.nextInt(LISTS)) : mailbox(random.nextInt(MAILBOXES)));
                default -> new ExternalSubscriptionSpec(mailbox(random.nextInt(MAILBOXES)), "ml" + random.nextInt(500) + "@partner.example", null, null);
            };
            DirectorySpec before = state.get(spec.kind(), spec.key()).map(DirectoryEntry::spec).orElse(null);
            changes.add(new ObjectChange(spec.kind(), spec.key(), "BENCH", before, spec));
        }
        return changes;
    }

    private static DirectoryEntry entry(DirectorySpec spec) {
        return new DirectoryEntry("BENCH", spec);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
