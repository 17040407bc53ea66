package com.mailgov.directory.spec;

import com.mailgov.directory.ObjectKind;

/** One member (mailbox, external address or another list) of an internal list. */
public record ListMemberSpec(String list, String member) implements DirectorySpec {
    @Override
    public ObjectKind kind() {
        return ObjectKind.LIST_MEMBER;
    }

    @Override
    public String key() {
        return ObjectKind.pairKey(list, member);
    }
}
