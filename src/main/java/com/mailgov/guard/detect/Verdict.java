package com.mailgov.guard.detect;

/** What to do with one message: let it pass, hold it in the queue, or have the sender retry later. */
public record Verdict(Action action, long incidentId, Edge edge, String text) {

    public enum Action { PASS, HOLD, DEFER }

    public static final Verdict PASS = new Verdict(Action.PASS, 0, null, null);

    public boolean passes() {
        return action == Action.PASS;
    }
}
