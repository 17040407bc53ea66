package com.mailgov.peoplesync;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mailgov.change.ChangeAction;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.directory.AddressOwner;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.peoplesync.DirectorySourceDtos.DirectoryEntryProblem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the directory says should change in mailgov, against one state of the approved directory:
 * <ul>
 * <li>a <b>joiner</b> (in the directory, not leaving, no mailbox yet) gets a MAILBOX and an alias
 *     FORWARD per directory alias that is free;</li>
 * <li>a <b>mover</b> (mailbox owned by another department than the directory's) is MOVEd;</li>
 * <li>a <b>leaver</b> — the leaving time has passed, or an entry this source saw before is gone
 *     (neither its DN nor its address is in the directory any more) — has the forward at their
 *     address, their autoreply, their external subscriptions and their list memberships proposed
 *     for removal; the mailbox itself stays.</li>
 * </ul>
 * Objects already in an open (or rejected) request of this source are not proposed again, so a
 * second run over an unchanged directory proposes nothing.
 */
final class SyncPlan {

    /** One person's items, kept together so a failing person can be retried alone. */
    record PersonItems(String address, List<ItemRequest> items) {
    }

    /** A leaver's removals, by the department that owns each object (their own department first). */
    record Leaver(String address, String displayName, String why, String department, Map<String, List<ItemRequest>> itemsByOwner) {
    }

    record Known(String address, String dn) {
    }

    final Map<String, List<PersonItems>> joiners = new TreeMap<>();
    final Map<String, List<PersonItems>> moves = new TreeMap<>();
    final List<Leaver> leavers = new ArrayList<>();
    final List<DirectoryEntryProblem> problems = new ArrayList<>();
    final List<String> pending = new ArrayList<>();
    int unchanged;

    private SyncPlan() {
    }

    static SyncPlan of(PersonReader.Result read, List<Known> known, DirectoryView view, Set<String> pendingKeys, Instant now) {
        SyncPlan plan = new SyncPlan();
        plan.problems.addAll(read.problems());
        Map<String, String> claimed = new HashMap<>(); // address → the person whose mail or alias it is
        for (Person p : read.people()) {
            claimed.put(p.address(), p.address());
        }
        for (Person p : read.people()) {
            if (p.hasLeft(now)) {
                plan.leaver(p.address(), p.displayName(), "the leaving date " + p.leavingAt() + " has passed", view, pendingKeys);
                continue;
            }
            Optional<DirectoryEntry> mailbox = view.get(ObjectKind.MAILBOX, p.address());
            if (pendingKeys.contains(ObjectKind.MAILBOX + " " + p.address())) {
                plan.pending.add(p.address());
            } else if (mailbox.isEmpty()) {
                plan.joiner(p, view, claimed);
            } else if (!mailbox.get().department().equals(p.department())) {
                ObjectNode spec = JsonNodeFactory.instance.objectNode().put("address", p.address());
                plan.moves.computeIfAbsent(p.department(), d -> new ArrayList<>())
                        .add(new PersonItems(p.address(), List.of(new ItemRequest(ChangeAction.MOVE, ObjectKind.MAILBOX, spec))));
            } else {
                plan.unchanged++;
            }
        }
        for (Known k : known) {
            if (!read.seenAddresses().contains(k.address()) && !read.seenDns().contains(k.dn().toLowerCase(Locale.ROOT))) {
                String name = view.get(ObjectKind.MAILBOX, k.address()).map(e -> ((MailboxSpec) e.spec()).displayName()).orElse(null);
                plan.leaver(k.address(), name, "the entry " + k.dn() + " is gone from the directory", view, pendingKeys);
            }
        }
        return plan;
    }

    private void joiner(Person p, DirectoryView view, Map<String, String> claimed) {
        Optional<DirectoryEntry> taken = AddressOwner.of(view, p.address());
        if (taken.isPresent()) {
            problems.add(new DirectoryEntryProblem(p.dn(), p.address(), "the address is a " + taken.get().spec().kind()
                    + " of department " + taken.get().department() + " in mailgov; no mailbox created", true));
            return;
        }
        List<ItemRequest> items = new ArrayList<>();
        ObjectNode mailbox = JsonNodeFactory.instance.objectNode().put("address", p.address());
        if (p.displayName() != null) {
            mailbox.put("displayName", p.displayName());
        }
        items.add(new ItemRequest(ChangeAction.CREATE, ObjectKind.MAILBOX, mailbox));
        for (String alias : p.aliases()) {
            String owner = claimed.putIfAbsent(alias, p.address());
            Optional<DirectoryEntry> used = AddressOwner.of(view, alias);
            if (owner != null && !owner.equals(p.address()) || used.isPresent()) {
                problems.add(new DirectoryEntryProblem(p.dn(), p.address(), "alias " + alias + " is already "
                        + (used.isPresent() ? "a " + used.get().spec().kind() + " in mailgov" : "the address of " + owner)
                        + "; left out", false));
                continue;
            }
            ObjectNode forward = JsonNodeFactory.instance.objectNode().put("source", alias).put("keepCopy", false);
            forward.putArray("targets").add(p.address());
            items.add(new ItemRequest(ChangeAction.CREATE, ObjectKind.FORWARD, forward));
        }
        joiners.computeIfAbsent(p.department(), d -> new ArrayList<>()).add(new PersonItems(p.address(), items));
    }

    private void leaver(String address, String displayName, String why, DirectoryView view, Set<String> pendingKeys) {
        List<DirectoryEntry> objects = new ArrayList<>();
        view.get(ObjectKind.FORWARD, address).ifPresent(objects::add);
        view.get(ObjectKind.AUTOREPLY, address).ifPresent(objects::add);
        for (String list : view.subscriptionsOf(address)) {
            view.get(ObjectKind.EXTERNAL_SUBSCRIPTION, ObjectKind.pairKey(address, list)).ifPresent(objects::add);
        }
        for (String list : view.listsContaining(address).stream().sorted().toList()) {
            view.get(ObjectKind.LIST_MEMBER, ObjectKind.pairKey(list, address)).ifPresent(objects::add);
        }
        String department = view.get(ObjectKind.MAILBOX, address).map(DirectoryEntry::department).orElse(null);
        Map<String, List<ItemRequest>> byOwner = new LinkedHashMap<>();
        if (department != null) {
            byOwner.put(department, new ArrayList<>());
        }
        boolean waiting = false;
        for (DirectoryEntry e : objects) {
            if (pendingKeys.contains(e.spec().kind() + " " + e.spec().key())) {
                waiting = true;
                continue;
            }
            byOwner.computeIfAbsent(e.department(), d -> new ArrayList<>())
                    .add(new ItemRequest(ChangeAction.DELETE, e.spec().kind(), removal(e)));
        }
        byOwner.values().removeIf(List::isEmpty);
        if (waiting) {
            pending.add(address);
        }
        if (!byOwner.isEmpty()) {
            leavers.add(new Leaver(address, displayName, why, department, byOwner));
        } else if (!waiting) {
            unchanged++;
        }
    }

    /** The identifying fields of a DELETE item. */
    private static ObjectNode removal(DirectoryEntry e) {
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        String[] pair = e.spec().key().split(" ", 2);
        switch (e.spec().kind()) {
            case FORWARD -> spec.put("source", e.spec().key());
            case AUTOREPLY -> spec.put("mailbox", e.spec().key());
            case EXTERNAL_SUBSCRIPTION -> spec.put("mailbox", pair[0]).put("listAddress", pair[1]);
            case LIST_MEMBER -> spec.put("list", pair[0]).put("member", pair[1]);
            default -> throw new IllegalArgumentException("not removed for a leaver: " + e.spec().kind());
        }
        return spec;
    }
}
