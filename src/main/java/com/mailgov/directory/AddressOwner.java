package com.mailgov.directory;

import java.util.List;
import java.util.Optional;

/**
 * Which department an address belongs to: the department of the mailbox, forward or list at that
 * address (in that order). The one answer the ownership guard of requests and the redaction of
 * previews both use.
 */
public final class AddressOwner {

    private static final List<ObjectKind> OWNING_KINDS = List.of(ObjectKind.MAILBOX, ObjectKind.FORWARD, ObjectKind.MAILING_LIST);

    private AddressOwner() {
    }

    /** The object that makes its department the owner of the address, if any. */
    public static Optional<DirectoryEntry> of(DirectoryView view, String address) {
        for (ObjectKind kind : OWNING_KINDS) {
            Optional<DirectoryEntry> entry = view.get(kind, address);
            if (entry.isPresent()) {
                return entry;
            }
        }
        return Optional.empty();
    }
}
