package com.mailgov.policy.rules;

import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Finding.Edge;
import com.mailgov.policy.Finding.EdgeKind;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.Severity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Forwards that send company mail out of the company: an approver must confirm it on purpose. */
@ApplicationScoped
public class ExternalForwardRule extends NamedRule {

    public static final String ID = "external-forward";

    public ExternalForwardRule() {
        super(ID, Severity.WARN,
                "Forwards to addresses outside the company's domains (data leaves the company)");
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        return context.added(ObjectKind.FORWARD, ForwardSpec.class)
                .flatMap(f -> f.targets().stream().filter(t -> !context.isInternal().test(t))
                        .map(t -> new Finding(ID, config.severity(),
                                "Mail to " + f.source() + " would be forwarded outside the company, to " + t + ".",
                                f.source() + " 宛てのメールが社外 (" + t + ") に転送されます。",
                                List.of(f.source(), t), List.of(new Edge(f.source(), t, EdgeKind.FORWARD)),
                                "Confirm that this data may leave the company, or forward to an internal address.",
                                "社外への転送が許されることを確認するか、社内アドレスに転送してください。",
                                null)))
                .toList();
    }
}
