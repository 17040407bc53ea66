package com.mailgov.policy.standard;

import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.policy.RuleParameter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * People the company directory adds: new mailboxes (with their display names) and the aliases the
 * directory gives them, each alias a forward to exactly one mailbox created in the same request. Nothing is removed or rerouted, so the class approves it
 * when the policy finds nothing above INFO, up to {@code maxObjects} objects per request.
 */
@ApplicationScoped
public class DirectoryJoinersStandardChange implements StandardChangeClass {

    public static final String ID = "directory-joiners";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Mailboxes and their aliases for people who joined, proposed by the company directory sync, "
                + "without WARN or BLOCK findings";
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(new RuleParameter("maxObjects", "Most mailboxes and aliases in one request", 200, 1, 5000));
    }

    @Override
    public Optional<String> refusal(StandardChangeCandidate candidate, Map<String, Integer> parameters) {
        Optional<String> common = DirectoryChanges.refusal(candidate, parameters.get("maxObjects"));
        if (common.isPresent()) {
            return common;
        }
        Set<String> mailboxes = new HashSet<>();
        for (ObjectChange c : candidate.changes()) {
            if (c.after() instanceof MailboxSpec m && c.before() == null) {
                mailboxes.add(m.address());
            }
        }
        for (ObjectChange c : candidate.changes()) {
            if (c.before() != null) {
                return Optional.of("changes an existing " + c.kind() + " " + c.key());
            }
            if (c.after() instanceof ForwardSpec f) {
                if (f.targets().size() != 1 || !mailboxes.contains(f.targets().get(0))) {
                    return Optional.of("forward " + f.source() + " is not an alias of one mailbox");
                }
            } else if (!(c.after() instanceof MailboxSpec)) {
                return Optional.of("creates a " + c.kind());
            }
        }
        return Optional.empty();
    }
}
