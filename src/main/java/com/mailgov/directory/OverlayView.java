package com.mailgov.directory;

import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The directory as it would be after a change request: the approved state with the request's
 * object changes laid over it. Costs only as much as the request is large; the base is not copied.
 */
public final class OverlayView implements DirectoryView {

    private record Key(ObjectKind kind, String key) {
    }

    private final DirectoryView base;
    /** A changed object's new state; a null value means deleted. */
    private final Map<Key, DirectoryEntry> changed = new HashMap<>();

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
        return merge(base.members(list), ObjectKind.LIST_MEMBER, m -> ObjectKind.pairKey(list, m),
                (key, spec) -> spec instanceof ListMemberSpec s && s.list().equals(list) ? s.member() : null);
    }

    @Override
    public Set<String> listsContaining(String member) {
        return merge(base.listsContaining(member), ObjectKind.LIST_MEMBER, l -> ObjectKind.pairKey(l, member),
                (key, spec) -> spec instanceof ListMemberSpec s && s.member().equals(member) ? s.list() : null);
    }

    @Override
    public Set<String> forwardSourcesTo(String target) {
        return merge(base.forwardSourcesTo(target), ObjectKind.FORWARD, source -> source,
                (key, spec) -> spec instanceof ForwardSpec f && f.targets().contains(target) ? f.source() : null);
    }

    @Override
    public Set<String> subscriptionsOf(String mailbox) {
        return merge(base.subscriptionsOf(mailbox), ObjectKind.EXTERNAL_SUBSCRIPTION, l -> ObjectKind.pairKey(mailbox, l),
                (key, spec) -> spec instanceof ExternalSubscriptionSpec s && s.mailbox().equals(mailbox) ? s.listAddress() : null);
    }

    @Override
    public Set<String> subscribersOf(String externalList) {
        return merge(base.subscribersOf(externalList), ObjectKind.EXTERNAL_SUBSCRIPTION, m -> ObjectKind.pairKey(m, externalList),
                (key, spec) -> spec instanceof ExternalSubscriptionSpec s && s.listAddress().equals(externalList) ? s.mailbox() : null);
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
     * Base results whose object the overlay changed are dropped, then every changed object of the
     * kind that matches is added.
     *
     * @param keyOf   the object key behind one base result
     * @param matches the result a changed spec contributes, or null
     */
    private Set<String> merge(Set<String> fromBase, ObjectKind kind, Function<String, String> keyOf,
                              BiFunction<String, DirectorySpec, String> matches) {
        if (changed.isEmpty()) {
            return fromBase;
        }
        Set<String> out = new HashSet<>();
        for (String r : fromBase) {
            if (!changed.containsKey(new Key(kind, keyOf.apply(r)))) {
                out.add(r);
            }
        }
        changed.forEach((k, v) -> {
            if (k.kind() == kind && v != null) {
                String r = matches.apply(k.key(), v.spec());
                if (r != null) {
                    out.add(r);
                }
            }
        });
        return out;
    }
}
