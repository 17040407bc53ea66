package com.mailgov.policy.rules;

import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Finding.Edge;
import com.mailgov.policy.Finding.EdgeKind;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.Severity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Makes every subscription to a list outside the company visible to approvers, with what is known of the list. */
@ApplicationScoped
public class ExternalSubscriptionRule extends NamedRule {

    public static final String ID = "external-subscription";

    public ExternalSubscriptionRule() {
        super(ID, Severity.INFO,
                "Subscriptions of internal mailboxes to mailing lists outside the company");
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        return context.added(ObjectKind.EXTERNAL_SUBSCRIPTION, ExternalSubscriptionSpec.class)
                .map(s -> new Finding(ID, config.severity(),
                        s.mailbox() + " is subscribed to the external list " + s.listAddress() + " (" + behaviour(s) + ").",
                        s.mailbox() + " は社外メーリングリスト " + s.listAddress() + " に登録されます (" + behaviourJa(s) + ")。",
                        List.of(s.listAddress(), s.mailbox()), List.of(new Edge(s.listAddress(), s.mailbox(), EdgeKind.SUBSCRIPTION)),
                        "Declare whether the list sends List-Id headers and points Reply-To at itself; unknown counts as the worst case.",
                        "リストが List-Id ヘッダーを付けるか、Reply-To をリスト自身にするかを申告してください。不明な場合は最悪の場合として扱います。",
                        null))
                .toList();
    }

    private static String behaviour(ExternalSubscriptionSpec s) {
        return "List-* headers: " + known(s.addsListHeaders()) + ", Reply-To to the list: " + known(s.replyToList());
    }

    private static String behaviourJa(ExternalSubscriptionSpec s) {
        return "List-* ヘッダー: " + knownJa(s.addsListHeaders()) + "、Reply-To がリスト: " + knownJa(s.replyToList());
    }

    private static String known(Boolean b) {
        return b == null ? "unknown" : b ? "yes" : "no";
    }

    private static String knownJa(Boolean b) {
        return b == null ? "不明" : b ? "はい" : "いいえ";
    }
}
