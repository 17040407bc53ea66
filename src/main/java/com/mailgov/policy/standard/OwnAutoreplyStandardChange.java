package com.mailgov.policy.standard;

import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.RuleParameter;
import com.mailgov.policy.Severity;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An employee's autoreply on their own mailbox: one autoreply change, on the submitter's own
 * mailbox, once per sender per at least {@code minIntervalDays}, for a bounded period of at most
 * {@code maxPeriodDays}, and no WARN or BLOCK finding. Taking one's own autoreply off is always of
 * the class (it can only lower the risk).
 */
@ApplicationScoped
public class OwnAutoreplyStandardChange implements StandardChangeClass {

    public static final String ID = "own-autoreply";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "An autoreply on one's own mailbox with an end date, a reply interval of at least minIntervalDays "
                + "and a period of at most maxPeriodDays, without WARN or BLOCK findings";
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(new RuleParameter("minIntervalDays", "Shortest once-per-sender interval, in days", 1, 1, 365),
                new RuleParameter("maxPeriodDays", "Longest period from start to end, in days", 30, 1, 366));
    }

    @Override
    public Optional<String> refusal(StandardChangeCandidate candidate, Map<String, Integer> parameters) {
        if (candidate.ownMailbox() == null) {
            return Optional.of("not submitted by the mailbox's owner through self-service");
        }
        if (candidate.changes().size() != 1 || candidate.changes().get(0).kind() != ObjectKind.AUTOREPLY) {
            return Optional.of("not exactly one autoreply change");
        }
        ObjectChange change = candidate.changes().get(0);
        if (!change.key().equalsIgnoreCase(candidate.ownMailbox())) {
            return Optional.of("not the submitter's own mailbox");
        }
        for (Finding f : candidate.findings()) {
            if (f.severity() == Severity.WARN || f.severity() == Severity.BLOCK) {
                return Optional.of("has a " + f.severity() + " finding (" + f.ruleId() + ")");
            }
        }
        if (change.after() == null) {
            return Optional.empty();
        }
        AutoreplySpec spec = (AutoreplySpec) change.after();
        int interval = spec.intervalDays() == null ? 0 : spec.intervalDays();
        if (interval < parameters.get("minIntervalDays")) {
            return Optional.of("interval " + interval + " days is below " + parameters.get("minIntervalDays"));
        }
        if (spec.startsAt() == null || spec.endsAt() == null) {
            return Optional.of("has no start and end");
        }
        if (Duration.between(spec.startsAt(), spec.endsAt()).compareTo(Duration.ofDays(parameters.get("maxPeriodDays"))) > 0) {
            return Optional.of("period is longer than " + parameters.get("maxPeriodDays") + " days");
        }
        return Optional.empty();
    }
}
