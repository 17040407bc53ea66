package com.mailgov.directory.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mailgov.directory.ObjectKind;

import java.util.List;

/**
 * An internal mailing list. {@code members} is the full membership when a request states it;
 * the directory stores each membership as its own LIST_MEMBER object, so the stored list spec has none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MailingListSpec(String address, String name, List<String> members, Boolean replyToList,
                              Boolean addsListHeaders) implements DirectorySpec {
    @Override
    public ObjectKind kind() {
        return ObjectKind.MAILING_LIST;
    }

    @Override
    public String key() {
        return address;
    }

    public MailingListSpec withoutMembers() {
        return new MailingListSpec(address, name, null, replyToList, addsListHeaders);
    }
}
