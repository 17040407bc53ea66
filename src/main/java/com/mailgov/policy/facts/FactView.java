package com.mailgov.policy.facts;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A directory view with observed facts underneath: an object the directory has is the directory's;
 * a key it lacks is answered from the facts. The loop search then walks managed and unmanaged
 * edges alike. A fact whose key the directory has is hidden entirely (also from reverse lookups).
 */
public final class FactView implements DirectoryView {

    private final DirectoryView base;
    private final FactIndex facts;

    public FactView(DirectoryView base, FactIndex facts) {
        this.base = base;
        this.facts = facts;
    }

    /** The fact behind an object of this view, or empty when the directory manages it. */
    public Optional<ObservedFact> observed(ObjectKind kind, String key) {
        return base.exists(kind, key) ? Optional.empty() : Optional.ofNullable(facts.get(kind, key));
    }

    /** The fact behind an object of any view: empty unless {@code view} carries facts and the directory lacks the key. */
    public static Optional<ObservedFact> observed(DirectoryView view, ObjectKind kind, String key) {
        return view instanceof FactView f ? f.observed(kind, key) : Optional.empty();
    }

    @Override
    public long revision() {
        return base.revision();
    }

    @Override
    public Optional<DirectoryEntry> get(ObjectKind kind, String key) {
        Optional<DirectoryEntry> own = base.get(kind, key);
        return own.isPresent() ? own : Optional.ofNullable(facts.entry(kind, key));
    }

    @Override
    public Set<String> members(String list) {
        return base.members(list);
    }

    @Override
    public Set<String> listsContaining(String member) {
        return base.listsContaining(member);
    }

    @Override
    public Set<String> forwardSourcesTo(String target) {
        return union(base.forwardSourcesTo(target), facts.forwardSourcesTo(target), ObjectKind.FORWARD, s -> s);
    }

    @Override
    public Set<String> subscriptionsOf(String mailbox) {
        return union(base.subscriptionsOf(mailbox), facts.subscriptionsOf(mailbox), ObjectKind.EXTERNAL_SUBSCRIPTION,
                l -> ObjectKind.pairKey(mailbox, l));
    }

    @Override
    public Set<String> subscribersOf(String externalList) {
        return union(base.subscribersOf(externalList), facts.subscribersOf(externalList), ObjectKind.EXTERNAL_SUBSCRIPTION,
                m -> ObjectKind.pairKey(m, externalList));
    }

    @Override
    public Collection<DirectoryEntry> all(ObjectKind kind) {
        Collection<ObservedFact> extra = facts.all(kind);
        if (extra.isEmpty()) {
            return base.all(kind);
        }
        List<DirectoryEntry> out = new ArrayList<>(base.all(kind));
        for (ObservedFact f : extra) {
            if (!base.exists(kind, f.spec().key())) {
                out.add(new DirectoryEntry(FactIndex.UNMANAGED, f.spec()));
            }
        }
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

    private Set<String> union(Set<String> own, Set<String> fromFacts, ObjectKind kind,
                              java.util.function.Function<String, String> keyOf) {
        if (fromFacts.isEmpty()) {
            return own;
        }
        Set<String> out = new HashSet<>(own);
        for (String r : fromFacts) {
            if (!base.exists(kind, keyOf.apply(r))) {
                out.add(r);
            }
        }
        return out;
    }
}
