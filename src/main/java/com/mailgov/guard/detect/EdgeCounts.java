package com.mailgov.guard.detect;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts per edge since the last flush, in memory, with a cap on distinct edges: past the cap a new
 * edge is only counted as overflow (a flood of distinct senders cannot grow memory; a loop's
 * edges repeat, so they are already tracked). Swapped out whole at every flush.
 */
public final class EdgeCounts {

    public static final class Count {
        final AtomicInteger messages = new AtomicInteger();
        final AtomicInteger automated = new AtomicInteger();
        volatile String sample;

        public int messages() {
            return messages.get();
        }

        public int automated() {
            return automated.get();
        }

        public String sample() {
            return sample;
        }
    }

    private final int cap;
    private final AtomicReference<ConcurrentHashMap<Edge, Count>> current = new AtomicReference<>(new ConcurrentHashMap<>());
    private final AtomicLong overflow = new AtomicLong();

    public EdgeCounts(int cap) {
        this.cap = cap;
    }

    public void add(Edge edge, boolean automated, String sample) {
        ConcurrentHashMap<Edge, Count> map = current.get();
        Count c = map.get(edge);
        if (c == null) {
            if (map.size() >= cap) {
                overflow.incrementAndGet();
                return;
            }
            c = map.computeIfAbsent(edge, e -> new Count());
        }
        c.messages.incrementAndGet();
        if (automated) {
            c.automated.incrementAndGet();
        }
        if (c.sample == null && sample != null) {
            c.sample = sample.length() > 500 ? sample.substring(0, 500) : sample;
        }
    }

    /** The counts since the last call; counting goes on in a fresh map. */
    public Map<Edge, Count> drain() {
        // sized like the last interval's: a map growing from 16 entries rehashes on the hot path
        int expected = Math.min(cap, Math.max(16, current.get().size()));
        return current.getAndSet(new ConcurrentHashMap<>(expected + expected / 3));
    }

    public long overflow() {
        return overflow.get();
    }

    public int tracked() {
        return current.get().size();
    }
}
