package com.mailgov.policy.rules;

import com.mailgov.policy.Finding;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.RuleParameter;
import com.mailgov.policy.Severity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Raises any loop finding whose estimated volume exceeds the threshold to its configured severity. */
@ApplicationScoped
public class AmplificationRule extends NamedRule {

    public static final String ID = "amplification";

    public AmplificationRule() {
        super(ID, Severity.BLOCK,
                "Loop findings whose estimated volume exceeds a threshold are raised to this severity");
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(new RuleParameter("thresholdPerHour", "Messages per hour above which a loop is escalated", 1000, 1, 100_000_000));
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        return List.of();
    }

    @Override
    public List<Finding> review(List<Finding> findings, RuleConfig config) {
        long threshold = config.param("thresholdPerHour");
        return findings.stream().map(f -> f.amplificationPerHour() != null && f.amplificationPerHour() > threshold
                        && f.severity().ordinal() > config.severity().ordinal()
                ? f.withSeverity(config.severity(),
                "(Raised to " + config.severity() + ": about " + f.amplificationPerHour() + " messages per hour exceeds " + threshold + ".)",
                "(推定 1 時間あたり約 " + f.amplificationPerHour() + " 通が閾値 " + threshold + " を超えるため " + config.severity() + " に引き上げ)")
                : f).toList();
    }
}
