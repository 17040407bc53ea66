package com.mailgov.outbox;

import java.time.Duration;

/**
 * What every leased queue is configured with. The outboxes' configuration groups
 * ({@code mailgov.push.*}, {@code mailgov.webhooks.*}) extend it, so both read the same keys the same
 * way and differ only in their defaults.
 */
public interface QueueSettings {

    /** How long a claim is reserved for its worker; a crashed worker's claims are taken over after it. */
    Duration lease();

    /** Delay after the first failed attempt; doubles per attempt up to {@link #maxRetryDelay()}. */
    Duration firstRetryDelay();

    Duration maxRetryDelay();

    /** Attempts before an item is given up as FAILED. */
    int maxAttempts();
}
