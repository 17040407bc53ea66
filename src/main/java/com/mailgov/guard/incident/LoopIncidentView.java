package com.mailgov.guard.incident;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A loop incident as the API shows it. */
public record LoopIncidentView(long id, String status, Instant openedAt, Instant stoppedAt, String stoppedBy, Instant closedAt,
                               long policyVersion, List<String> cycle, List<EdgeView> edges, Map<String, Object> correlated,
                               Map<String, Object> stopAction, Instant reviewDueAt, String reviewedBy, Instant reviewedAt,
                               MessageCounts messages, List<HeldMessageView> heldMessages) {

    /** One edge of the cycle with its rate in the window when the loop was detected. */
    public record EdgeView(String from, String to, long messages, long automated, int windowSeconds, String evidence) {
    }

    public record MessageCounts(long held, long deferred, long released, long waiting) {
    }

    public record HeldMessageView(long id, String action, String hook, String queueId, String messageId, String from, String to,
                                  Instant observedAt, Instant releasedAt, String releaseNote) {
    }
}
