package com.mailgov.directory.spec;

import com.mailgov.directory.ObjectKind;

/**
 * An internal mailbox subscribed to a list outside the company. {@code null} behaviour means
 * unknown, which the loop analysis treats as the worst case.
 */
public record ExternalSubscriptionSpec(String mailbox, String listAddress, Boolean replyToList,
                                       Boolean addsListHeaders) implements DirectorySpec {
    @Override
    public ObjectKind kind() {
        return ObjectKind.EXTERNAL_SUBSCRIPTION;
    }

    @Override
    public String key() {
        return ObjectKind.pairKey(mailbox, listAddress);
    }
}
