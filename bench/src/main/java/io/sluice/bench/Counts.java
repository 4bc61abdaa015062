package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the measurement window saw. Every request sent is exactly one of OK, partial or an error:
 * {@link #requests()} is their sum. Records are accepted (in OK and partial answers), failed (inside
 * partial answers) or rejected (in errors). Payload bytes are decoded record data.
 */
public record Counts(
        Duration window,
        long okRequests,
        long partialRequests,
        Map<String, Long> errors,
        long answeredRequests,
        long recordsAccepted,
        long recordsFailed,
        long recordsRejected,
        long bytesAccepted,
        LatencySummary latencyOk,
        LatencySummary latencyAnswered) {
    public Counts {
        requireNonNull(window, "window is null");
        errors = Collections.unmodifiableMap(new TreeMap<>(errors));
        requireNonNull(latencyOk, "latencyOk is null");
        requireNonNull(latencyAnswered, "latencyAnswered is null");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
    }

    public long errorRequests() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public long requests() {
        return okRequests + partialRequests + errorRequests();
    }

    public double perSecond(long count) {
        return count / (window.toNanos() / 1e9);
    }

    /** Accepted record data in MB (10^6 bytes) per second. */
    public double megabytesPerSecond() {
        return perSecond(bytesAccepted) / 1e6;
    }
}
