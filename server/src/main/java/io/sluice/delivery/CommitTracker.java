package io.sluice.delivery;

import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Batches of one stream cover contiguous offset ranges {@code [start, end)} and may finish in any
 * order; only the contiguous finished prefix may be committed. Thread-safe.
 */
final class CommitTracker {
    private final TreeMap<Long, Long> finished = new TreeMap<>();
    private long committable;

    CommitTracker(long start) {
        this.committable = start;
    }

    /**
     * Records that {@code [start, end)} is done (delivered, or given up); returns the new end of the
     * contiguous done prefix when it moved.
     */
    synchronized OptionalLong finish(long start, long end) {
        finished.put(start, end);
        long before = committable;
        Long next;
        while ((next = finished.remove(committable)) != null) {
            committable = next;
        }
        return committable > before ? OptionalLong.of(committable) : OptionalLong.empty();
    }
}
