package io.sluice.log.journal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** When appended data is forced to disk, and so what an acknowledged append promises. */
public sealed interface FsyncPolicy {
    /** The default: an append returns only after its data is forced to disk (group commit). */
    FsyncPolicy ALWAYS = new Always();

    static FsyncPolicy interval(Duration interval) {
        return new Interval(interval);
    }

    /**
     * Forced before the append returns. Concurrent appends share one fsync: the writer forces once
     * for everything pending, across all streams, then completes all of them.
     */
    record Always() implements FsyncPolicy {}

    /**
     * An append returns once its data is written to the operating system; the writer forces at
     * least every {@code interval}. Window of loss: a machine crash or power failure (not a process
     * crash) loses up to {@code interval} of acknowledged appends; a kill -9 of the process loses
     * nothing acknowledged, since written data is in the kernel's page cache.
     */
    record Interval(Duration interval) implements FsyncPolicy {
        public Interval {
            requireNonNull(interval, "interval is null");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("fsync interval must be positive: " + interval);
            }
        }
    }
}
