package com.mailgov.testsupport;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or the time is up (then fails saying what was awaited). */
public final class Await {

    public interface Check {
        boolean ok() throws Exception;
    }

    private Await() {
    }

    public static void until(Check check, Duration timeout, String what) throws Exception {
        until(check, timeout, () -> what);
    }

    /** {@code what} is asked only on failure, so it can describe the state then. */
    public static void until(Check check, Duration timeout, Supplier<String> what) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + what.get());
    }
}
