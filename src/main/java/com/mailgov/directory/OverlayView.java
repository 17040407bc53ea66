package com.mailgov.directory;

import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The directory as it would be after a change request: the approved state with the request's
 * object changes laid over it. Costs only as much as the request is large; the base is not copied.
 */
public final class OverlayView implements DirectoryView {

    private record Key(ObjectKind kind, String key) {
    }

    /** The reverse lookups of {@link DirectoryView} that the changed objects contribute to. */
    private enum Lookup { MEMBERS, LISTS_CONTAINING, FORWARD_SOURCES, SUBSCRIPTIONS, SUBSCRIBERS }

    private final DirectoryView base;
    /** A changed object's new state; a null value means deleted. */
    private final Map<Key, DirectoryEntry> changed = new HashMap<>();
    /**
     * The changed objects by what each lookup asks for (e.g. forward target → sources), built on the
     * first lookup after a change: a 500-item import request asks one lookup per item and rule, and
     * scanning every changed object each time made its evaluation quadratic.
     */
    private Map<Lookup, Map<String, Set<String>>> index;

    public OverlayView(DirectoryView base, Collection<ObjectChange> changes) {
        this.base = base;
        changes.forEach(this::apply);
    }

    /** The directory before the changes. */
    public DirectoryView base() {
        return base;
    }

    /** Lays one more change over the view; a change that neither had nor has a state restores the base. */
    public void apply(ObjectChange c) {
        Key key = new Key(c.kind(), c.key());
        if (c.before() == null && c.after() == null) {
            changed.remove(key);
        } else {
            changed.put(key, c.after() == null ? null : new DirectoryEntry(c.department(), c.after()));
        }
        index = null;
    }

    @Override
    public long revision() {
        return base.revision();
    }

    @Override
    public Optional<DirectoryEntry> get(ObjectKind kind, String key) {
        Key k = new Key(kind, key);
        return changed.containsKey(k) ? Optional.ofNullable(changed.get(k)) : base.get(kind, key);
    }

    @Override
    public Set<String> members(String list) {
        return merge(base.members(list), ObjectKind.LIST_MEMBER, m -> ObjectKind.pairKey(list, m), Lookup.MEMBERS, list);
    }

    @Override
    public Set<String> listsContaining(String member) {
        return merge(base.listsContaining(member), ObjectKind.LIST_MEMBER, l -> ObjectKind.pairKey(l, member), Lookup.LISTS_CONTAINING,
                member);
    }

    @Override
    public Set<String> forwardSourcesTo(String target) {
        return merge(base.forwardSourcesTo(target), ObjectKind.FORWARD, source -> source, Lookup.FORWARD_SOURCES, target);
    }

    @Override
    public Set<String> subscriptionsOf(String mailbox) {
        return merge(base.subscriptionsOf(mailbox), ObjectKind.EXTERNAL_SUBSCRIPTION, l -> ObjectKind.pairKey(mailbox, l),
                Lookup.SUBSCRIPTIONS, mailbox);
    }

    @Override
    public Set<String> subscribersOf(String externalList) {
        return merge(base.subscribersOf(externalList), ObjectKind.EXTERNAL_SUBSCRIPTION, m -> ObjectKind.pairKey(m, externalList),
                Lookup.SUBSCRIBERS, externalList);
    }

    @Override
    public Collection<DirectoryEntry> all(ObjectKind kind) {
        List<DirectoryEntry> out = new ArrayList<>();
        for (DirectoryEntry e : base.all(kind)) {
            if (!changed.containsKey(new Key(kind, e.spec().key()))) {
                out.add(e);
            }
        }
        changed.forEach((k, v) -> {
            if (k.kind() == kind && v != null) {
                out.add(v);
            }
        });
        return out;
    }

    @Override
    public Optional<Long> lastChanged(ObjectKind kind, String key) {
        return base.lastChanged(kind, key);
    }

    @Override
    public long historyKnownAfter() {
        return base.historyKnownAfter();
    }

    /**
     * Base results whose object the overlay changed are dropped, then what the changed objects
     * contribute to this lookup of {@code argument} is added.
     *
     * @param keyOf the object key behind one base result
     */
    private Set<String> merge(Set<String> fromBase, ObjectKind kind, Function<String, String> keyOf, Lookup lookup, String argument) {
        if (changed.isEmpty()) {
            return fromBase;
        }
        Set<String> out = new HashSet<>();
        for (String r : fromBase) {
            if (!changed.containsKey(new Key(kind, keyOf.apply(r)))) {
                out.add(r);
            }
        }
        out.addAll(index().get(lookup).getOrDefault(argument, Set.of()));
        return out;
    }

    private Map<Lookup, Map<String, Set<String>>> index() {
        if (index == null) {
            Map<Lookup, Map<String, Set<String>>> built = new EnumMap<>(Lookup.class);
            for (Lookup l : Lookup.values()) {
                built.put(l, new HashMap<>());
            }
            for (DirectoryEntry e : changed.values()) {
                DirectorySpec spec = e == null ? null : e.spec();
                if (spec instanceof ListMemberSpec m) {
                    add(built, Lookup.MEMBERS, m.list(), m.member());
                    add(built, Lookup.LISTS_CONTAINING, m.member(), m.list());
                } else if (spec instanceof ForwardSpec f) {
                    f.targets().forEach(t -> add(built, Lookup.FORWARD_SOURCES, t, f.source()));
                } else if (spec instanceof ExternalSubscriptionSpec s) {
                    add(built, Lookup.SUBSCRIPTIONS, s.mailbox(), s.listAddress());
                    add(built, Lookup.SUBSCRIBERS, s.listAddress(), s.mailbox());
                }
            }
            index = built;
        }
        return index;
    }

    private static void add(Map<Lookup, Map<String, Set<String>>> index, Lookup lookup, String argument, String result) {
        index.get(lookup).computeIfAbsent(argument, a -> new HashSet<>()).add(result);
    }
}
