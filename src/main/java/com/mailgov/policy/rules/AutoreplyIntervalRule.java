package com.mailgov.policy.rules;

import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.RuleParameter;
import com.mailgov.policy.Severity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * An autoreply must wait at least a day before answering the same sender again (RFC 5230 §4.1:
 * the minimum is 1 day). Below that it answers every message, which is what feeds a mail loop.
 */
@ApplicationScoped
public class AutoreplyIntervalRule extends NamedRule {

    public static final String ID = "autoreply-interval";

    public AutoreplyIntervalRule() {
        super(ID, Severity.BLOCK,
                "Autoreplies that would answer the same sender more often than the minimum interval");
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(new RuleParameter("minDays", "Fewest days between two replies to one sender (RFC 5230: at least 1)", 1, 1, 30));
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        int minDays = config.param("minDays");
        return context.added(ObjectKind.AUTOREPLY, AutoreplySpec.class)
                .filter(a -> a.intervalDays() < minDays)
                .map(a -> new Finding(ID, config.severity(),
                        "The autoreply for " + a.mailbox() + " has an interval of " + a.intervalDays() + " days"
                                + (a.intervalDays() == 0 ? ": it would answer every message, including every post of a list it is on." : "; the minimum is " + minDays + "."),
                        a.mailbox() + " の自動応答は返信間隔が " + a.intervalDays() + " 日です"
                                + (a.intervalDays() == 0 ? "。メーリングリストの投稿を含むすべてのメールに返信します。" : "。最低 " + minDays + " 日です。"),
                        List.of(a.mailbox()), null,
                        "Set intervalDays to at least " + minDays + " (7 is usual): one reply per sender per interval.",
                        "intervalDays を " + minDays + " 以上 (通常は 7) にしてください。送信者ごとに期間内 1 回だけ返信します。",
                        null))
                .toList();
    }
}
