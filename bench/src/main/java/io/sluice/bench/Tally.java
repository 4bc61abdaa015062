package io.sluice.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one worker saw in the measurement window; workers' tallies are merged after they stop.
 * Latency of every HTTP answer goes to {@code answered}, that of fully accepted requests also to
 * {@code ok}. Not thread-safe.
 */
final class Tally {
    private final LatencyHistogram ok = new LatencyHistogram();
    private final LatencyHistogram answered = new LatencyHistogram();
    private final Map<String, Long> errors = new TreeMap<>();
    private long okRequests;
    private long partialRequests;
    private long recordsAccepted;
    private long recordsFailed;
    private long recordsRejected;
    private long bytesAccepted;

    /** A transport failure has no answer, so its {@code latencyNanos} is not recorded. */
    void record(Outcome outcome, Payload payload, long latencyNanos) {
        switch (outcome) {
            case Outcome.Ok o -> {
                okRequests++;
                recordsAccepted += o.records();
                bytesAccepted += payload.dataBytes();
                ok.recordNanos(latencyNanos);
                answered.recordNanos(latencyNanos);
            }
            case Outcome.Partial p -> {
                partialRequests++;
                recordsAccepted += p.accepted();
                recordsFailed += p.failed();
                bytesAccepted += payload.dataBytes() * p.accepted() / payload.records();
                answered.recordNanos(latencyNanos);
            }
            case Outcome.Failed f -> {
                errors.merge(f.key(), 1L, Long::sum);
                recordsRejected += f.records();
                if (!f.key().startsWith("I/O ")) {
                    answered.recordNanos(latencyNanos);
                }
            }
        }
    }

    void add(Tally other) {
        ok.add(other.ok);
        answered.add(other.answered);
        other.errors.forEach((key, count) -> errors.merge(key, count, Long::sum));
        okRequests += other.okRequests;
        partialRequests += other.partialRequests;
        recordsAccepted += other.recordsAccepted;
        recordsFailed += other.recordsFailed;
        recordsRejected += other.recordsRejected;
        bytesAccepted += other.bytesAccepted;
    }

    Counts counts(Duration window) {
        return new Counts(
                window,
                okRequests,
                partialRequests,
                errors,
                answered.count(),
                recordsAccepted,
                recordsFailed,
                recordsRejected,
                bytesAccepted,
                ok.summary(),
                answered.summary());
    }
}
