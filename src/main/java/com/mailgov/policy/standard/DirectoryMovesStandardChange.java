package com.mailgov.policy.standard;

import com.mailgov.directory.ObjectChange;
import com.mailgov.policy.RuleParameter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * People the company directory moved to another department: their mailboxes, and what is at their
 * addresses, change owner and nothing else (every spec stays as it is, so no mail goes elsewhere).
 * The directory is the company's record of who works where.
 */
@ApplicationScoped
public class DirectoryMovesStandardChange implements StandardChangeClass {

    public static final String ID = "directory-moves";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Mailboxes moved to the department the company directory names, proposed by the directory sync; "
                + "owners change, specs do not";
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(new RuleParameter("maxObjects", "Most objects changing owner in one request", 200, 1, 5000));
    }

    @Override
    public Optional<String> refusal(StandardChangeCandidate candidate, Map<String, Integer> parameters) {
        Optional<String> common = DirectoryChanges.refusal(candidate, parameters.get("maxObjects"));
        if (common.isPresent()) {
            return common;
        }
        for (ObjectChange c : candidate.changes()) {
            if (c.before() == null || !c.before().equals(c.after())) {
                return Optional.of(c.kind() + " " + c.key() + " changes more than its owner");
            }
        }
        return Optional.empty();
    }
}
