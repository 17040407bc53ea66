package com.mailgov.push.pipeline;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.push.PostfixVirtualMap;
import com.mailgov.push.SieveVacationScript;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ArtifactType;
import com.mailgov.push.connector.MailmanConnector;
import com.mailgov.push.connector.ServerKind;

import java.time.ZoneId;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a server should hold according to one state of the directory, as artifacts. Internal
 * lists go to Mailman when a Mailman server is registered; otherwise Postfix serves them as plain
 * alias lists.
 *
 * @param listsOnMailman whether lists are Mailman's (then they are not Postfix aliases)
 * @param zone the company's zone ({@code mailgov.time-zone}): how an autoreply's period is written in its Sieve
 */
public record DesiredState(DirectoryView view, Collection<String> internalDomains, boolean listsOnMailman, ZoneId zone) {

    /** Desired content of every artifact in scope (null scope: all) that the server kind holds. */
    public Map<ArtifactKey, String> forServer(ServerKind kind, Set<ArtifactKey> scope) {
        Map<ArtifactKey, String> out = new TreeMap<>();
        Set<ArtifactType> handled = kind.handles();
        if (scope == null) {
            for (ArtifactKey key : everything()) {
                if (handled.contains(key.type())) {
                    put(out, key);
                }
            }
        } else {
            for (ArtifactKey key : scope) {
                if (handled.contains(key.type())) {
                    put(out, key);
                }
            }
        }
        return out;
    }

    /** Mailboxes whose Sieve scripts a full read must look at. */
    public Set<String> mailboxes() {
        Set<String> out = new TreeSet<>();
        view.all(ObjectKind.MAILBOX).forEach(e -> out.add(((MailboxSpec) e.spec()).address()));
        view.all(ObjectKind.AUTOREPLY).forEach(e -> out.add(((AutoreplySpec) e.spec()).mailbox()));
        return out;
    }

    /** The artifact keys whose content a set of object changes can alter. */
    public static Set<ArtifactKey> affectedBy(Collection<ObjectChange> changes) {
        Set<ArtifactKey> keys = new TreeSet<>();
        for (ObjectChange c : changes) {
            for (DirectorySpec spec : new DirectorySpec[]{c.before(), c.after()}) {
                if (spec instanceof ForwardSpec f) {
                    keys.add(ArtifactKey.alias(f.source()));
                    // a forward makes its source an alias of each target: their autoreplies answer it too
                    f.targets().forEach(t -> keys.add(ArtifactKey.vacation(t)));
                } else if (spec instanceof AutoreplySpec a) {
                    keys.add(ArtifactKey.vacation(a.mailbox()));
                } else if (spec instanceof MailingListSpec l) {
                    keys.add(ArtifactKey.list(l.address()));
                    keys.add(ArtifactKey.alias(l.address()));
                } else if (spec instanceof ListMemberSpec m) {
                    keys.add(ArtifactKey.listMember(m.list(), m.member()));
                    keys.add(ArtifactKey.alias(m.list()));
                }
            }
        }
        return keys;
    }

    private Set<ArtifactKey> everything() {
        Set<ArtifactKey> keys = new TreeSet<>();
        view.all(ObjectKind.FORWARD).forEach(e -> keys.add(ArtifactKey.alias(((ForwardSpec) e.spec()).source())));
        view.all(ObjectKind.AUTOREPLY).forEach(e -> keys.add(ArtifactKey.vacation(((AutoreplySpec) e.spec()).mailbox())));
        for (DirectoryEntry e : view.all(ObjectKind.MAILING_LIST)) {
            String list = ((MailingListSpec) e.spec()).address();
            keys.add(ArtifactKey.list(list));
            keys.add(ArtifactKey.alias(list));
        }
        view.all(ObjectKind.LIST_MEMBER).forEach(e -> {
            ListMemberSpec m = (ListMemberSpec) e.spec();
            keys.add(ArtifactKey.listMember(m.list(), m.member()));
        });
        return keys;
    }

    private void put(Map<ArtifactKey, String> out, ArtifactKey key) {
        String content = content(key);
        if (content != null) {
            out.put(key, content);
        }
    }

    /** Desired content of one artifact, or null when the server should not have it. */
    String content(ArtifactKey key) {
        switch (key.type()) {
            case ALIAS: {
                var forward = view.get(ObjectKind.FORWARD, key.key());
                if (forward.isPresent()) {
                    return PostfixVirtualMap.targets((ForwardSpec) forward.get().spec());
                }
                if (!listsOnMailman && view.exists(ObjectKind.MAILING_LIST, key.key())) {
                    Set<String> members = view.members(key.key());
                    return members.isEmpty() ? null : PostfixVirtualMap.listTargets(members);
                }
                return null;
            }
            case VACATION: {
                return view.get(ObjectKind.AUTOREPLY, key.key())
                        .map(e -> SieveVacationScript.generate((AutoreplySpec) e.spec(), aliasesOf(key.key()), internalDomains, zone))
                        .orElse(null);
            }
            case LIST: {
                if (!listsOnMailman) {
                    return null;
                }
                return view.get(ObjectKind.MAILING_LIST, key.key()).map(e -> {
                    MailingListSpec l = (MailingListSpec) e.spec();
                    return MailmanConnector.listContent(l.name() == null ? l.address() : l.name(),
                            !Boolean.FALSE.equals(l.addsListHeaders()), Boolean.TRUE.equals(l.replyToList()));
                }).orElse(null);
            }
            case LIST_MEMBER: {
                if (!listsOnMailman) {
                    return null;
                }
                int bar = key.key().indexOf('|');
                return view.exists(ObjectKind.LIST_MEMBER, ObjectKind.pairKey(key.key().substring(0, bar), key.key().substring(bar + 1)))
                        ? "" : null;
            }
            default:
                return null;
        }
    }

    /** Internal addresses that forward to the mailbox: its autoreply must answer mail sent to them too. */
    public Set<String> aliasesOf(String mailbox) {
        Set<String> out = new TreeSet<>();
        for (String a : view.forwardSourcesTo(mailbox)) {
            if (!a.equals(mailbox) && internalDomains.stream().anyMatch(d -> a.endsWith("@" + d))) {
                out.add(a);
            }
        }
        return out;
    }
}
