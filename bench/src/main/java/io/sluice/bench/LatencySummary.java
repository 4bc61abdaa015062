package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Latency percentiles of {@code count} requests; each is the highest value of its histogram bucket. */
public record LatencySummary(long count, Duration p50, Duration p99, Duration p999, Duration max) {
    static final LatencySummary EMPTY =
            new LatencySummary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public LatencySummary {
        requireNonNull(p50, "p50 is null");
        requireNonNull(p99, "p99 is null");
        requireNonNull(p999, "p999 is null");
        requireNonNull(max, "max is null");
        if (count < 0) {
            throw new IllegalArgumentException("count is negative: " + count);
        }
        if (p50.compareTo(p99) > 0 || p99.compareTo(p999) > 0 || p999.compareTo(max) > 0) {
            throw new IllegalArgumentException("percentiles must not decrease");
        }
    }
}
