package com.mailgov.directory.spec;

import com.mailgov.directory.ObjectKind;

/** An internal mailbox. */
public record MailboxSpec(String address, String displayName) implements DirectorySpec {
    @Override
    public ObjectKind kind() {
        return ObjectKind.MAILBOX;
    }

    @Override
    public String key() {
        return address;
    }
}
