package com.mailgov.policy.facts;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Facts indexed like the directory: by kind and key, and the reverse lookups the loop search uses. */
public final class FactIndex {

    /** The department facts are shown under: nobody owns them yet. */
    public static final String UNMANAGED = "(unmanaged)";

    private final Map<ObjectKind, Map<String, ObservedFact>> byKey = new EnumMap<>(ObjectKind.class);
    private final Map<String, Set<String>> forwardSourcesTo = new HashMap<>();
    private final Map<String, Set<String>> subscriptionsOf = new HashMap<>();
    private final Map<String, Set<String>> subscribersOf = new HashMap<>();
    private final int size;

    FactIndex(List<ObservedFact> facts) {
        for (ObservedFact f : facts) {
            byKey.computeIfAbsent(f.spec().kind(), k -> new HashMap<>()).putIfAbsent(f.spec().key(), f);
        }
        for (ObservedFact f : byKey.getOrDefault(ObjectKind.FORWARD, Map.of()).values()) {
            ForwardSpec fw = (ForwardSpec) f.spec();
            fw.targets().forEach(t -> forwardSourcesTo.computeIfAbsent(t, k -> new HashSet<>()).add(fw.source()));
        }
        for (ObservedFact f : byKey.getOrDefault(ObjectKind.EXTERNAL_SUBSCRIPTION, Map.of()).values()) {
            ExternalSubscriptionSpec s = (ExternalSubscriptionSpec) f.spec();
            subscriptionsOf.computeIfAbsent(s.mailbox(), k -> new HashSet<>()).add(s.listAddress());
            subscribersOf.computeIfAbsent(s.listAddress(), k -> new HashSet<>()).add(s.mailbox());
        }
        this.size = byKey.values().stream().mapToInt(Map::size).sum();
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public ObservedFact get(ObjectKind kind, String key) {
        return byKey.getOrDefault(kind, Map.of()).get(key);
    }

    public Collection<ObservedFact> all(ObjectKind kind) {
        return byKey.getOrDefault(kind, Map.of()).values();
    }

    DirectoryEntry entry(ObjectKind kind, String key) {
        ObservedFact f = get(kind, key);
        return f == null ? null : new DirectoryEntry(UNMANAGED, f.spec());
    }

    Set<String> forwardSourcesTo(String target) {
        return forwardSourcesTo.getOrDefault(target, Set.of());
    }

    Set<String> subscriptionsOf(String mailbox) {
        return subscriptionsOf.getOrDefault(mailbox, Set.of());
    }

    Set<String> subscribersOf(String list) {
        return subscribersOf.getOrDefault(list, Set.of());
    }
}
