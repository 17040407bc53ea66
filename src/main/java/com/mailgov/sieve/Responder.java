package com.mailgov.sieve;

import java.util.List;

/**
 * An action in a script that sends mail because mail arrived.
 *
 * @param kind          what the script does
 * @param line          where in the script
 * @param target        redirect target or notify method ({@code mailto:…}); null for vacation/reject
 * @param intervalSeconds for vacation: {@code :days}/{@code :seconds} in seconds, null when not given
 *                      (the server's default applies); for the others null (they answer every message)
 * @param addresses     vacation {@code :addresses}
 * @param from          vacation/notify {@code :from}
 * @param conditional   inside an {@code if}: runs only for some messages
 */
public record Responder(Kind kind, int line, String target, Long intervalSeconds, List<String> addresses, String from,
                        boolean conditional) {

    public enum Kind {
        /** RFC 5230 vacation: answers the envelope sender, skips list/bulk/automatic mail, once per interval. */
        VACATION,
        /** RFC 5435 enotify {@code notify "mailto:…"} or the old draft {@code notify :method "mailto…"}: a message per arriving message. */
        NOTIFY,
        /** Sends the message on to another address. */
        REDIRECT,
        /** Refuses the message with a bounce-like answer (MDN) to the sender. */
        REJECT,
        EREJECT
    }

    /**
     * Whether the responder's destination depends on the arriving message (a variable such as
     * {@code ${from}} or a Reply-To capture): then it answers whoever wrote, like an autoreply.
     */
    public boolean answersSender() {
        return switch (kind) {
            case VACATION, REJECT, EREJECT -> true;
            case NOTIFY, REDIRECT -> target == null || target.contains("${");
        };
    }

    /** Answers every matching message, without the once-per-sender memory of vacation. */
    public boolean unbounded() {
        return kind == Kind.NOTIFY || kind == Kind.REDIRECT
                || (kind == Kind.VACATION && intervalSeconds != null && intervalSeconds < 86_400);
    }
}
