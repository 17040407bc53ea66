package com.mailgov.guard.detect;

/** The guard as the protocol listeners see it: answer at once, from memory, never blocking. */
public interface Decider {

    /** Counts the message's edges and says what to do with it. */
    Verdict decide(Observation observation);

    /** Keeps the record of a message that was held or deferred (written to the database in the background). */
    void account(Observation observation, Verdict verdict);
}
