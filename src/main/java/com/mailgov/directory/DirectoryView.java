package com.mailgov.directory;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Read access to one state of the directory, with the reverse lookups the loop analysis needs.
 * Addresses are normalised.
 */
public interface DirectoryView {

    long revision();

    Optional<DirectoryEntry> get(ObjectKind kind, String key);

    default boolean exists(ObjectKind kind, String key) {
        return get(kind, key).isPresent();
    }

    /** Members (addresses) of an internal list. */
    Set<String> members(String list);

    /** Internal lists that have this address as a member. */
    Set<String> listsContaining(String member);

    /** Sources of forwards that deliver to this target. */
    Set<String> forwardSourcesTo(String target);

    /** External lists this mailbox is subscribed to. */
    Set<String> subscriptionsOf(String mailbox);

    /** Internal mailboxes subscribed to this external list. */
    Set<String> subscribersOf(String externalList);

    Collection<DirectoryEntry> all(ObjectKind kind);

    /**
     * The last revision that created, changed or removed the object, as far as this view has
     * seen revisions: complete for every revision after {@link #historyKnownAfter()}.
     */
    Optional<Long> lastChanged(ObjectKind kind, String key);

    /** Revisions after this one are all reflected in {@link #lastChanged}. */
    long historyKnownAfter();
}
