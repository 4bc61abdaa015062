package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the engine delivers.
 *
 * @param stagingDirectory where batches are encoded before they are sent (emptied at start)
 * @param maxInFlight batches of one stream being sent at once; commits advance only over the
 *     contiguous delivered prefix
 * @param poll how often an idle pipeline looks for new records
 * @param minBackoff first retry delay; doubled per attempt, with jitter
 * @param maxBackoff longest retry delay
 * @param budgetedMaxBackoff longest retry delay of destinations with a retry budget, whose delays
 *     start at {@code minBackoff} too (Firehose's HTTP endpoint schedule: 1 s doubling to 120 s)
 * @param retention how long undelivered data is retried before it is dropped (Firehose: 24 hours)
 */
public record DeliveryConfig(
        Path stagingDirectory,
        int maxInFlight,
        Duration poll,
        Duration minBackoff,
        Duration maxBackoff,
        Duration budgetedMaxBackoff,
        Duration retention) {
    public DeliveryConfig {
        requireNonNull(stagingDirectory, "stagingDirectory is null");
        requireNonNull(poll, "poll is null");
        requireNonNull(minBackoff, "minBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(budgetedMaxBackoff, "budgetedMaxBackoff is null");
        requireNonNull(retention, "retention is null");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        if (poll.isNegative()
                || poll.isZero()
                || minBackoff.isNegative()
                || minBackoff.compareTo(maxBackoff) > 0
                || minBackoff.compareTo(budgetedMaxBackoff) > 0) {
            throw new IllegalArgumentException(
                    "poll must be positive and minBackoff at most maxBackoff and budgetedMaxBackoff");
        }
    }
}
