package com.mailgov.push;

import com.mailgov.change.ChangeRequestService;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The plan of a change request: the exact artifacts each mail server would receive — Postfix
 * virtual-map lines and Sieve scripts — computed against the current directory, before approval.
 */
@ApplicationScoped
public class PreviewService {

    /** Until mail servers can be registered, everything goes to the embedded file output. */
    static final String FILE_SERVER = "file";

    @Inject
    ChangeRequestService changes;

    @Inject
    MailgovConfig config;

    public record Artifact(String object, ObjectKind kind, String change, String format, String path, String content) {
    }

    public record ServerPlan(String server, String kind, List<Artifact> artifacts) {
    }

    public record Preview(UUID changeRequest, List<ServerPlan> servers) {
    }

    public Preview preview(Actor actor, UUID id) {
        List<Artifact> artifacts = changes.plan(actor, id, this::artifacts);
        return new Preview(id, List.of(new ServerPlan(FILE_SERVER, "FILE", artifacts)));
    }

    private List<Artifact> artifacts(DirectoryView proposed, List<ObjectChange> objectChanges) {
        List<Artifact> out = new ArrayList<>();
        Set<String> lists = new LinkedHashSet<>();
        for (ObjectChange c : objectChanges) {
            DirectorySpec spec = c.after() != null ? c.after() : c.before();
            String change = c.type().name();
            if (spec instanceof ForwardSpec f) {
                out.add(new Artifact(c.key(), c.kind(), change, "postfix-virtual", "postfix/virtual",
                        c.after() == null ? null : PostfixVirtualMap.forward((ForwardSpec) c.after())));
            } else if (spec instanceof AutoreplySpec a) {
                out.add(new Artifact(c.key(), c.kind(), change, "sieve", "sieve/" + a.mailbox() + ".sieve",
                        c.after() == null ? null : SieveVacationScript.generate((AutoreplySpec) c.after(),
                                aliasesOf(proposed, a.mailbox()), config.internalDomainList())));
            } else if (spec instanceof MailingListSpec l) {
                lists.add(l.address());
            } else if (spec instanceof ListMemberSpec m) {
                lists.add(m.list());
            }
        }
        for (String list : lists) {
            boolean exists = proposed.exists(ObjectKind.MAILING_LIST, list);
            out.add(new Artifact(list, ObjectKind.MAILING_LIST, exists ? "MEMBERS" : "DELETED", "postfix-virtual",
                    "postfix/virtual", exists ? PostfixVirtualMap.list(list, proposed.members(list)) : null));
        }
        return out;
    }

    /** Internal addresses that forward to the mailbox: the autoreply must answer mail sent to them too. */
    private List<String> aliasesOf(DirectoryView view, String mailbox) {
        return view.forwardSourcesTo(mailbox).stream()
                .filter(a -> !a.equals(mailbox) && config.internalDomainList().stream().anyMatch(d -> a.endsWith("@" + d)))
                .sorted().toList();
    }
}
