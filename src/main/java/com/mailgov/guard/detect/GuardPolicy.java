package com.mailgov.guard.detect;

import com.mailgov.policy.Finding;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.RuleParameter;
import com.mailgov.policy.Severity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The loop guard's thresholds and actions as policy data: rule {@code loop-guard} in
 * /api/v1/policies, versioned and audited with the rules. It raises no finding on change
 * requests; the guard on the mail path reads its parameters.
 */
@ApplicationScoped
public class GuardPolicy extends NamedRule {

    public static final String ID = "loop-guard";
    public static final int ACTION_HOLD = 1;
    public static final int ACTION_DEFER = 2;

    public GuardPolicy() {
        super(ID, Severity.INFO, "Loop guard on the mail path: when an edge is hot, what makes a loop, what to do");
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(
                new RuleParameter("windowSeconds", "Sliding window over which edge rates are counted", 10, 2, 3600),
                new RuleParameter("hotMessages", "Messages on one edge within the window that make it hot", 5, 2, 1_000_000),
                new RuleParameter("automatedPercent",
                        "Share of automatic messages (Auto-Submitted, null sender) that makes an edge an automatic reply", 50, 1, 100),
                new RuleParameter("action", "1 = hold (Postfix hold queue), 2 = defer (4xx, the sender keeps it)", ACTION_HOLD, 1, 2),
                new RuleParameter("autoStopPerMinute",
                        "Messages per minute on a cycle above which the responder is suspended without waiting (0 = never)", 0, 0, 1_000_000),
                new RuleParameter("reviewHours", "Hours a second person has to review an emergency stop", 24, 1, 720));
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        return List.of();
    }
}
