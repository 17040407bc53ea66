package com.mailgov.testsupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Legitimate mail beside a loop experiment: step {@code i} runs at start + i × period on a thread of
 * its own (open loop: a slow send does not lower the rate), at most {@code steps} times, until closed.
 */
public final class PacedTraffic implements AutoCloseable {

    /** One step of traffic; an exception ends the traffic. */
    public interface Step {
        void run(int i) throws Exception;
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private PacedTraffic(String name, Duration period, int steps, Step step) {
        thread = new Thread(() -> {
            long next = System.nanoTime();
            for (int i = 0; running.get() && i < steps; i++) {
                try {
                    step.run(i);
                } catch (Exception e) {
                    throw new IllegalStateException(name + " step " + i, e);
                }
                next += period.toNanos();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, name);
    }

    public static PacedTraffic start(String name, Duration period, int steps, Step step) {
        PacedTraffic t = new PacedTraffic(name, period, steps, step);
        t.thread.start();
        return t;
    }

    /** Stops after the current step and waits up to 30 s for it. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
