package com.mailgov.policy;

import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * An autoreply must wait at least a day before answering the same sender again (RFC 5230 §4.1:
 * the minimum is 1 day). Below that it answers every message, which is what feeds a mail loop.
 */
@ApplicationScoped
public class AutoreplyIntervalRule implements PolicyRule {

    public static final String ID = "autoreply-interval";
    static final int MIN_DAYS = 1;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Severity defaultSeverity() {
        return Severity.BLOCK;
    }

    @Override
    public String description() {
        return "Autoreplies that would answer the same sender more than once a day";
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, Severity severity) {
        return context.added(ObjectKind.AUTOREPLY, AutoreplySpec.class)
                .filter(a -> a.intervalDays() < MIN_DAYS)
                .map(a -> new Finding(ID, severity,
                        "The autoreply for " + a.mailbox() + " has an interval of " + a.intervalDays()
                                + " days: it would answer every message, including every post of a list it is on.",
                        a.mailbox() + " の自動応答は返信間隔が " + a.intervalDays()
                                + " 日のため、メーリングリストの投稿を含むすべてのメールに返信します。",
                        List.of(a.mailbox()),
                        "Set intervalDays to at least " + MIN_DAYS + " (7 is usual): one reply per sender per interval.",
                        "intervalDays を " + MIN_DAYS + " 以上 (通常は 7) にしてください。送信者ごとに期間内 1 回だけ返信します。",
                        null))
                .toList();
    }
}
