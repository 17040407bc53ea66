package com.mailgov.guard.detect;

import java.util.List;

/**
 * What the mail path told the guard about one message (milter) or one recipient (policy
 * delegation): raw, unnormalised values; headers are null when the hook does not see them.
 */
public record Observation(Hook hook, String queueId, String envelopeSender, List<String> recipients,
                          String fromHeader, String autoSubmitted, String precedence, String listId, String listPost,
                          String inReplyTo, String replyTo, String messageId) {

    public enum Hook { MILTER, POLICY }

    public static Observation envelope(Hook hook, String queueId, String sender, List<String> recipients) {
        return new Observation(hook, queueId, sender, recipients, null, null, null, null, null, null, null, null);
    }
}
