package com.mailgov.directory.spec;

import com.mailgov.directory.ObjectKind;

import java.time.Instant;
import java.util.List;

/** An out-of-office reply for a mailbox. */
public record AutoreplySpec(String mailbox, String subject, String body, Instant startsAt, Instant endsAt,
                            Integer intervalDays, Audience audience, List<String> addresses) implements DirectorySpec {

    /** Who gets an answer: only senders inside the company, or everyone. */
    public enum Audience { INTERNAL, ALL }

    @Override
    public ObjectKind kind() {
        return ObjectKind.AUTOREPLY;
    }

    @Override
    public String key() {
        return mailbox;
    }
}
