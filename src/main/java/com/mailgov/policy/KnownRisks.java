package com.mailgov.policy;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.policy.Finding.Edge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * For a request that describes what a server already holds (an import proposal): a BLOCK finding
 * whose every hop already exists before the request — in the directory or in what the servers hold
 * (observed facts) — is a loop the request does not create. Blocking its adoption would not stop a
 * single message, and would keep the loop's objects unmanaged, so that no approved change could
 * remove them. It becomes a WARN (approval needs a reason) that says so, with the rule's remedy.
 */
final class KnownRisks {

    static final String NOTE = "Known risk: every hop of this loop is already on the mail servers; adopting it changes no"
            + " mail flow. Approve with a reason to bring it under management, then remove the loop with a change (remedy).";
    static final String NOTE_JA = "既知のリスク: このループの経路はすべて既にメールサーバー上にあり、取り込みによってメールの流れは"
            + "変わりません。理由を添えて承認して管理下に置き、対処（remedy）の変更でループを解消してください。";

    private KnownRisks() {
    }

    static PolicyEvaluator.Evaluation of(PolicyEvaluator.Evaluation evaluation, DirectoryView before, DirectoryView proposed) {
        if (!evaluation.has(Severity.BLOCK)) {
            return evaluation;
        }
        List<Finding> out = new ArrayList<>();
        for (Finding f : evaluation.findings()) {
            boolean known = f.severity() == Severity.BLOCK && f.edges() != null && !f.edges().isEmpty()
                    && f.edges().stream().allMatch(e -> holds(before, proposed, e));
            out.add(known ? f.withSeverity(Severity.WARN, NOTE, NOTE_JA) : f);
        }
        out.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::ruleId));
        return new PolicyEvaluator.Evaluation(evaluation.policyVersion(), List.copyOf(out));
    }

    /** Whether mail takes this hop before the request too, with what decides the hop unchanged. */
    private static boolean holds(DirectoryView before, DirectoryView proposed, Edge e) {
        return switch (e.kind()) {
            case FORWARD -> before.get(ObjectKind.FORWARD, e.from())
                    .map(f -> ((ForwardSpec) f.spec()).targets().contains(e.to())).orElse(false);
            case MEMBER -> before.members(e.from()).contains(e.to());
            case SUBSCRIPTION -> before.subscribersOf(e.from()).contains(e.to());
            // the responder and the list it answers (its Reply-To, its List-* headers) as they are now
            case AUTOREPLY -> before.exists(ObjectKind.AUTOREPLY, e.from())
                    && same(before, proposed, ObjectKind.AUTOREPLY, e.from())
                    && (before.exists(ObjectKind.MAILING_LIST, e.to()) ? same(before, proposed, ObjectKind.MAILING_LIST, e.to())
                    : before.subscriptionsOf(e.from()).contains(e.to()));
        };
    }

    private static boolean same(DirectoryView before, DirectoryView proposed, ObjectKind kind, String key) {
        return Objects.equals(before.get(kind, key).map(DirectoryEntry::spec), proposed.get(kind, key).map(DirectoryEntry::spec));
    }
}
