package com.mailgov.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.OverlayView;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.directory.spec.SpecReader;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's items into object changes against one directory state: checks each spec,
 * that CREATE targets something new and UPDATE/DELETE something that exists, that the request's
 * department owns what it touches ({@link AddressOwnershipGuard}), and expands list memberships and deletions into the objects
 * they affect.
 */
@ApplicationScoped
public class ChangeResolver {

    @Inject
    SpecReader reader;

    public record ItemInput(ChangeAction action, ObjectKind kind, JsonNode spec) {
    }

    /** The normalised spec of each item, and the object changes of the whole request. */
    public record Resolution(List<DirectorySpec> itemSpecs, List<ObjectChange> changes) {
    }

    public Resolution resolve(String department, List<ItemInput> items, DirectoryView current) {
        FieldErrors errors = new FieldErrors();
        List<DirectorySpec> specs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ItemInput item = items.get(i);
            String prefix = "items[" + i + "]";
            if (item == null || item.action() == null || item.kind() == null) {
                if (item == null) {
                    errors.add(prefix, "is required");
                } else {
                    if (item.action() == null) {
                        errors.add(prefix + ".action", "is required: CREATE, UPDATE or DELETE");
                    }
                    if (item.kind() == null) {
                        errors.add(prefix + ".kind", "is required");
                    }
                }
                specs.add(null);
                continue;
            }
            if (item.action() == ChangeAction.UPDATE && item.kind() == ObjectKind.LIST_MEMBER) {
                errors.add(prefix + ".action", "a list membership has nothing to update: CREATE or DELETE it");
            }
            if (item.action() == ChangeAction.MOVE && item.kind() != ObjectKind.MAILBOX) {
                errors.add(prefix + ".kind", "only a MAILBOX can be moved; what is at its address moves with it");
            }
            boolean keyOnly = item.action() == ChangeAction.DELETE || item.action() == ChangeAction.MOVE;
            specs.add(reader.read(item.kind(), item.spec(), keyOnly, prefix + ".spec.", errors));
        }
        errors.throwIfAny();

        Map<String, Integer> touched = new HashMap<>();
        Changes changes = new Changes(current);
        for (int i = 0; i < items.size(); i++) {
            ItemInput item = items.get(i);
            DirectorySpec spec = specs.get(i);
            String prefix = "items[" + i + "]";
            Integer earlier = touched.putIfAbsent(item.kind() + " " + spec.key(), i);
            if (earlier != null) {
                errors.add(prefix, "touches the same " + item.kind() + " as items[" + earlier + "]; combine them");
                continue;
            }
            resolveItem(department, item.action(), spec, prefix + ".spec." + keyField(item.kind()), changes, errors);
        }
        errors.throwIfAny();
        return new Resolution(specs, changes.list());
    }

    private void resolveItem(String department, ChangeAction action, DirectorySpec spec, String keyField,
                             Changes changes, FieldErrors errors) {
        DirectoryView view = changes.view();
        DirectoryEntry existing = view.get(spec.kind(), spec.key()).orElse(null);
        if (action == ChangeAction.CREATE && existing != null) {
            throw new ApiException(ProblemType.CONFLICT, spec.kind() + " " + spec.key() + " already exists",
                    List.of(new Problem.FieldError(keyField, "already exists")), Map.of());
        }
        if (action != ChangeAction.CREATE && existing == null) {
            errors.add(keyField, "no " + spec.kind() + " " + spec.key() + " in the current directory");
            return;
        }
        if (action == ChangeAction.MOVE) {
            move(department, existing, keyField, changes, errors);
            return;
        }
        AddressOwnershipGuard.requireOwned(department, spec, existing, view, keyField);
        if (spec instanceof MailboxSpec m) {
            if (action == ChangeAction.CREATE) {
                requireFree(view, m.address(), keyField, errors, ObjectKind.MAILING_LIST);
            }
            if (action == ChangeAction.DELETE) {
                // A mailbox takes its autoreply and external subscriptions with it.
                view.get(ObjectKind.AUTOREPLY, m.address()).ifPresent(changes::remove);
                for (String list : view.subscriptionsOf(m.address())) {
                    view.get(ObjectKind.EXTERNAL_SUBSCRIPTION, ObjectKind.pairKey(m.address(), list))
                            .ifPresent(changes::remove);
                }
            }
        } else if (spec instanceof ForwardSpec f) {
            if (action == ChangeAction.CREATE) {
                requireFree(view, f.source(), keyField, errors, ObjectKind.MAILING_LIST);
            }
        } else if (spec instanceof MailingListSpec l) {
            if (action == ChangeAction.CREATE) {
                requireFree(view, l.address(), keyField, errors,
                        ObjectKind.MAILBOX, ObjectKind.FORWARD, ObjectKind.MAILING_LIST);
            }
            if (action == ChangeAction.DELETE) {
                for (String member : view.members(l.address())) {
                    view.get(ObjectKind.LIST_MEMBER, ObjectKind.pairKey(l.address(), member)).ifPresent(changes::remove);
                }
            } else if (l.members() != null) {
                Set<String> wanted = new LinkedHashSet<>(l.members());
                for (String member : view.members(l.address())) {
                    if (!wanted.remove(member)) {
                        view.get(ObjectKind.LIST_MEMBER, ObjectKind.pairKey(l.address(), member)).ifPresent(changes::remove);
                    }
                }
                for (String member : wanted) {
                    changes.put(department, new ListMemberSpec(l.address(), member));
                }
            }
        } else if (spec instanceof ListMemberSpec m) {
            if (action == ChangeAction.CREATE) {
                DirectoryEntry list = view.get(ObjectKind.MAILING_LIST, m.list()).orElse(null);
                if (list == null) {
                    errors.add(keyField, "no mailing list " + m.list() + " in the current directory");
                    return;
                }
            }
        } else if (spec instanceof ExternalSubscriptionSpec s) {
            if (action != ChangeAction.DELETE) {
                requireMailbox(view, s.mailbox(), keyField, errors);
            }
        } else if (spec instanceof AutoreplySpec a) {
            if (action != ChangeAction.DELETE) {
                requireMailbox(view, a.mailbox(), keyField, errors);
            }
        }
        if (action == ChangeAction.DELETE) {
            changes.remove(existing);
        } else {
            DirectorySpec stored = spec instanceof MailingListSpec l ? l.withoutMembers() : spec;
            changes.put(department, stored);
        }
    }

    /**
     * The mailbox, and whatever routes, answers or subscribes its address (its forward, autoreply,
     * external subscriptions), change owner; their specs stay as they are. Memberships stay with
     * their lists' departments.
     */
    private static void move(String department, DirectoryEntry mailbox, String keyField, Changes changes, FieldErrors errors) {
        if (mailbox.department().equals(department)) {
            errors.add(keyField, "MAILBOX " + mailbox.spec().key() + " already belongs to department " + department);
            return;
        }
        DirectoryView view = changes.view();
        String address = mailbox.spec().key();
        List<DirectoryEntry> moving = new ArrayList<>();
        moving.add(mailbox);
        view.get(ObjectKind.FORWARD, address).ifPresent(moving::add);
        view.get(ObjectKind.AUTOREPLY, address).ifPresent(moving::add);
        for (String list : view.subscriptionsOf(address)) {
            view.get(ObjectKind.EXTERNAL_SUBSCRIPTION, ObjectKind.pairKey(address, list)).ifPresent(moving::add);
        }
        for (DirectoryEntry entry : moving) {
            if (entry.department().equals(mailbox.department())) {
                changes.put(department, entry.spec());
            }
        }
    }

    private static void requireFree(DirectoryView view, String address, String field, FieldErrors errors, ObjectKind... kinds) {
        for (ObjectKind kind : kinds) {
            if (view.exists(kind, address)) {
                errors.add(field, address + " is already used by a " + kind);
                return;
            }
        }
    }

    /** Ownership of the address is {@link AddressOwnershipGuard}'s; this only asks that the mailbox exists. */
    private static void requireMailbox(DirectoryView view, String mailbox, String field, FieldErrors errors) {
        if (!view.exists(ObjectKind.MAILBOX, mailbox)) {
            errors.add(field, "no mailbox " + mailbox + " in the directory (create it first, or in the same request)");
        }
    }

    private static String keyField(ObjectKind kind) {
        return switch (kind) {
            case MAILBOX, MAILING_LIST -> "address";
            case FORWARD -> "source";
            case LIST_MEMBER -> "list";
            case EXTERNAL_SUBSCRIPTION, AUTOREPLY -> "mailbox";
        };
    }

    /** Object changes collected so far, visible to later items through an overlay. */
    private static final class Changes {
        private final DirectoryView base;
        private final Map<String, ObjectChange> byKey = new LinkedHashMap<>();
        private final OverlayView view;

        Changes(DirectoryView base) {
            this.base = base;
            this.view = new OverlayView(base, List.of());
        }

        DirectoryView view() {
            return view;
        }

        void put(String department, DirectorySpec after) {
            record(new ObjectChange(after.kind(), after.key(), department, before(after.kind(), after.key()), after));
        }

        void remove(DirectoryEntry entry) {
            DirectorySpec spec = entry.spec();
            record(new ObjectChange(spec.kind(), spec.key(), entry.department(), before(spec.kind(), spec.key()), null));
        }

        private DirectorySpec before(ObjectKind kind, String key) {
            return base.get(kind, key).map(DirectoryEntry::spec).orElse(null);
        }

        private void record(ObjectChange change) {
            String k = change.kind() + " " + change.key();
            if (change.before() == null && change.after() == null) {
                byKey.remove(k); // created and removed within the request: no change at all
            } else {
                byKey.put(k, change);
            }
            view.apply(change);
        }

        List<ObjectChange> list() {
            return List.copyOf(byKey.values());
        }
    }
}
