package com.mailgov.policy.rules;

import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Finding.Edge;
import com.mailgov.policy.Finding.EdgeKind;
import com.mailgov.policy.MailFlow;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.Severity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A list that is (directly, through other lists, or through forwards) a member of itself: every
 * post is redistributed to the list again. Pure forward cycles are {@link ForwardCycleRule}'s.
 */
@ApplicationScoped
public class ListCycleRule extends NamedRule {

    public static final String ID = "list-cycle";
    private static final Set<EdgeKind> DELIVERY = Set.of(EdgeKind.FORWARD, EdgeKind.MEMBER);

    public ListCycleRule() {
        super(ID, Severity.BLOCK,
                "Mailing lists that contain themselves, directly or through other lists or forwards");
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        // The new edges' sources are where a new cycle must pass.
        Set<String> starts = new LinkedHashSet<>();
        for (ObjectChange c : context.changes()) {
            if (c.after() instanceof ListMemberSpec m) {
                starts.add(m.list());
            } else if (c.after() instanceof ForwardSpec f) {
                starts.add(f.source());
            }
        }
        List<Finding> findings = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (String start : starts) {
            if (reported.contains(start)) {
                continue;
            }
            MailFlow.path(context.proposed(), start, start::equals, DELIVERY)
                    .filter(edges -> edges.stream().anyMatch(e -> e.kind() == EdgeKind.MEMBER))
                    .ifPresent(edges -> {
                        List<String> cycle = MailFlow.addresses(edges);
                        reported.addAll(cycle);
                        findings.add(finding(config, cycle, edges));
                    });
        }
        return findings;
    }

    private static Finding finding(RuleConfig config, List<String> cycle, List<Edge> edges) {
        String path = String.join(" → ", cycle);
        boolean self = cycle.size() == 2;
        return new Finding(ID, config.severity(),
                self ? "The list " + cycle.get(0) + " is a member of itself: every post would be sent to the list again, without end."
                        : "List loop: " + path + ". Every post would be redistributed around this cycle without end.",
                self ? "メーリングリスト " + cycle.get(0) + " が自分自身のメンバーです。投稿が際限なく再配信されます。"
                        : "メーリングリストのループ: " + path + "。投稿がこの経路を際限なく循環します。",
                cycle, edges,
                "Remove the membership (or forward) that leads back to the list.",
                "リストに戻るメンバー登録 (または転送) を削除してください。",
                null);
    }

}
