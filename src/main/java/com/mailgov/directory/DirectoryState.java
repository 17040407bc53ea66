package com.mailgov.directory;

import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The approved directory in memory, with reverse indexes kept up to date on every put/remove so
 * that the loop analysis never scans. Not thread-safe: {@link DirectoryCache} guards it.
 */
public final class DirectoryState implements DirectoryView {

    private final Map<ObjectKind, Map<String, DirectoryEntry>> objects = new EnumMap<>(ObjectKind.class);
    private final Map<String, Set<String>> members = new HashMap<>();
    private final Map<String, Set<String>> listsContaining = new HashMap<>();
    private final Map<String, Set<String>> forwardSourcesTo = new HashMap<>();
    private final Map<String, Set<String>> subscriptionsOf = new HashMap<>();
    private final Map<String, Set<String>> subscribersOf = new HashMap<>();
    private final Map<String, Long> lastChanged = new HashMap<>();
    private long revision;
    private long historyKnownAfter;

    public DirectoryState() {
        for (ObjectKind kind : ObjectKind.values()) {
            objects.put(kind, new HashMap<>());
        }
    }

    @Override
    public long revision() {
        return revision;
    }

    void revision(long revision) {
        this.revision = revision;
    }

    /** Marks where complete change history starts: the revision the state was first loaded at. */
    void historyKnownAfter(long revision) {
        this.historyKnownAfter = revision;
    }

    /** Records that a revision touched an object (also when it removed it). */
    public void touched(ObjectKind kind, String key, long atRevision) {
        lastChanged.merge(kind + " " + key, atRevision, Math::max);
    }

    @Override
    public Optional<Long> lastChanged(ObjectKind kind, String key) {
        return Optional.ofNullable(lastChanged.get(kind + " " + key));
    }

    @Override
    public long historyKnownAfter() {
        return historyKnownAfter;
    }

    public void put(DirectoryEntry entry) {
        DirectorySpec spec = entry.spec();
        remove(spec.kind(), spec.key());
        objects.get(spec.kind()).put(spec.key(), entry);
        index(spec, true);
    }

    public void remove(ObjectKind kind, String key) {
        DirectoryEntry old = objects.get(kind).remove(key);
        if (old != null) {
            index(old.spec(), false);
        }
    }

    public int size() {
        return objects.values().stream().mapToInt(Map::size).sum();
    }

    private void index(DirectorySpec spec, boolean add) {
        if (spec instanceof ListMemberSpec m) {
            link(members, m.list(), m.member(), add);
            link(listsContaining, m.member(), m.list(), add);
        } else if (spec instanceof ForwardSpec f) {
            for (String target : f.targets()) {
                link(forwardSourcesTo, target, f.source(), add);
            }
        } else if (spec instanceof ExternalSubscriptionSpec s) {
            link(subscriptionsOf, s.mailbox(), s.listAddress(), add);
            link(subscribersOf, s.listAddress(), s.mailbox(), add);
        }
    }

    private static void link(Map<String, Set<String>> index, String from, String to, boolean add) {
        if (add) {
            index.computeIfAbsent(from, k -> new HashSet<>(2)).add(to);
        } else {
            Set<String> set = index.get(from);
            if (set != null && set.remove(to) && set.isEmpty()) {
                index.remove(from);
            }
        }
    }

    @Override
    public Optional<DirectoryEntry> get(ObjectKind kind, String key) {
        return Optional.ofNullable(objects.get(kind).get(key));
    }

    @Override
    public Set<String> members(String list) {
        return view(members.get(list));
    }

    @Override
    public Set<String> listsContaining(String member) {
        return view(listsContaining.get(member));
    }

    @Override
    public Set<String> forwardSourcesTo(String target) {
        return view(forwardSourcesTo.get(target));
    }

    @Override
    public Set<String> subscriptionsOf(String mailbox) {
        return view(subscriptionsOf.get(mailbox));
    }

    @Override
    public Set<String> subscribersOf(String externalList) {
        return view(subscribersOf.get(externalList));
    }

    @Override
    public Collection<DirectoryEntry> all(ObjectKind kind) {
        return Collections.unmodifiableCollection(objects.get(kind).values());
    }

    private static Set<String> view(Set<String> set) {
        return set == null ? Set.of() : Collections.unmodifiableSet(set);
    }
}
