package com.mailgov.policy.standard;

import com.mailgov.policy.Finding;
import com.mailgov.policy.Severity;

import java.util.Optional;

/** What every directory-sync class asks first: proposed by the sync, not too large, no WARN or BLOCK finding. */
final class DirectoryChanges {

    private DirectoryChanges() {
    }

    static Optional<String> refusal(StandardChangeCandidate candidate, int maxObjects) {
        if (candidate.directorySource() == null) {
            return Optional.of("not proposed by the company directory sync");
        }
        if (candidate.changes().isEmpty()) {
            return Optional.of("changes nothing");
        }
        if (candidate.changes().size() > maxObjects) {
            return Optional.of("changes " + candidate.changes().size() + " objects, more than " + maxObjects);
        }
        for (Finding f : candidate.findings()) {
            if (f.severity() == Severity.WARN || f.severity() == Severity.BLOCK) {
                return Optional.of("has a " + f.severity() + " finding (" + f.ruleId() + ")");
            }
        }
        return Optional.empty();
    }
}
