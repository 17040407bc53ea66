package com.mailgov.outbox;

import java.time.Duration;

/** Retry delays of the leased queues ({@link LeasedQueue}): doubling per attempt, capped. */
public final class Backoff {

    private Backoff() {
    }

    /** {@code first}, 2 × first, 4 × first, … for attempts 1, 2, 3, …, never more than {@code max}. */
    public static Duration after(int attempts, Duration first, Duration max) {
        Duration d = first.multipliedBy(1L << Math.min(Math.max(attempts, 1) - 1, 20));
        return d.compareTo(max) > 0 ? max : d;
    }
}
