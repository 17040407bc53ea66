package com.mailgov.policy.rules;

import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ForwardSpec;
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
import java.util.List;
import java.util.Set;

/**
 * Forward/alias cycles of any length ({@code a → b → c → a}). Postfix expands a virtual alias
 * recursively, so such a cycle makes mail circle until the hop limit bounces it. {@code a → a}
 * is not a cycle: Postfix delivers to {@code a} itself (keep a copy).
 */
@ApplicationScoped
public class ForwardCycleRule extends NamedRule {

    public static final String ID = "forward-cycle";
    private static final Set<EdgeKind> FORWARDS = Set.of(EdgeKind.FORWARD);

    public ForwardCycleRule() {
        super(ID, Severity.BLOCK,
                "Forwards/aliases that lead back to their own source");
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        List<Finding> findings = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        context.added(ObjectKind.FORWARD, ForwardSpec.class).forEach(forward -> {
            if (reported.contains(forward.source())) {
                return;
            }
            MailFlow.path(context.proposed(), forward.source(), forward.source()::equals, FORWARDS).ifPresent(edges -> {
                List<String> cycle = MailFlow.addresses(edges);
                reported.addAll(cycle);
                String path = String.join(" → ", cycle);
                findings.add(new Finding(ID, config.severity(),
                        "Forwarding loop: " + path + ". Mail to " + forward.source()
                                + " would circle between these addresses until the server bounces it.",
                        "転送ループ: " + path + "。" + forward.source() + " 宛てのメールがこれらのアドレスの間を循環し、最終的にサーバーで不達になります。",
                        cycle, edges,
                        "Remove one forward of the cycle, or deliver locally (keepCopy) instead of forwarding back.",
                        "循環している転送のいずれかを削除するか、転送し返す代わりにローカル配送 (keepCopy) にしてください。",
                        null));
            });
        });
        return findings;
    }

}
