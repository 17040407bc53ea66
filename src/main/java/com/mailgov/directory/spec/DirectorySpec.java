package com.mailgov.directory.spec;

import com.mailgov.directory.ObjectKind;

/** The desired state of one directory object, as a change request states it and the directory stores it. */
public sealed interface DirectorySpec
        permits MailboxSpec, ForwardSpec, MailingListSpec, ListMemberSpec, ExternalSubscriptionSpec, AutoreplySpec {

    ObjectKind kind();

    /** The identity of the object inside its kind: an address, or a pair of addresses. */
    String key();

    static Class<? extends DirectorySpec> typeOf(ObjectKind kind) {
        return switch (kind) {
            case MAILBOX -> MailboxSpec.class;
            case FORWARD -> ForwardSpec.class;
            case MAILING_LIST -> MailingListSpec.class;
            case LIST_MEMBER -> ListMemberSpec.class;
            case EXTERNAL_SUBSCRIPTION -> ExternalSubscriptionSpec.class;
            case AUTOREPLY -> AutoreplySpec.class;
        };
    }
}
