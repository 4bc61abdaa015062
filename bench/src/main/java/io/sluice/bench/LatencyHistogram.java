package io.sluice.bench;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * Request latencies in fixed memory (about 100 KiB): microsecond units, 3 significant digits, from
 * 1 µs to {@value #HIGHEST_SECONDS} s; longer latencies count as the highest. Not thread-safe: one per
 * worker, merged after the workers stop.
 */
final class LatencyHistogram {
    static final long HIGHEST_SECONDS = 3_600;
    private static final long HIGHEST_MICROS = HIGHEST_SECONDS * 1_000_000L;

    private final Histogram histogram = new Histogram(HIGHEST_MICROS, 3);

    void record(Duration latency) {
        recordNanos(latency.toNanos());
    }

    void recordNanos(long nanos) {
        long micros = Math.max(1, (nanos + 500) / 1_000);
        histogram.recordValue(Math.min(micros, HIGHEST_MICROS));
    }

    void add(LatencyHistogram other) {
        histogram.add(other.histogram);
    }

    long count() {
        return histogram.getTotalCount();
    }

    LatencySummary summary() {
        if (histogram.getTotalCount() == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(
                histogram.getTotalCount(),
                at(50.0),
                at(99.0),
                at(99.9),
                Duration.ofNanos(histogram.getMaxValue() * 1_000));
    }

    private Duration at(double percentile) {
        return Duration.ofNanos(histogram.getValueAtPercentile(percentile) * 1_000);
    }
}
