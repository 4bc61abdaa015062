package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import io.sluice.destination.DeliveryPolicy;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff: attempt {@code n} (from 1) waits about {@code min(max, base * 2^(n-1))}, drawn
 * with {@code jitter}.
 */
record Backoff(Duration base, Duration max, Jitter jitter) {
    enum Jitter {
        /** Between half and all of the delay: spreads retries of many streams. */
        HALF_TO_FULL,
        /**
         * Within ±15 % of the delay, then capped: Firehose's schedule for HTTP endpoints (delivery spec
         * §11.2.5).
         */
        FIFTEEN_PERCENT
    }

    Backoff {
        requireNonNull(base, "base is null");
        requireNonNull(max, "max is null");
        requireNonNull(jitter, "jitter is null");
    }

    /** The backoff between the attempts of a batch retried under {@code retry}. */
    static Backoff of(DeliveryPolicy.Retry retry, DeliveryConfig config) {
        return switch (retry) {
            case DeliveryPolicy.Retry.UntilExpiry untilExpiry ->
                new Backoff(config.minBackoff(), config.maxBackoff(), Jitter.HALF_TO_FULL);
            case DeliveryPolicy.Retry.ForDuration forDuration ->
                new Backoff(config.minBackoff(), config.budgetedMaxBackoff(), Jitter.FIFTEEN_PERCENT);
        };
    }

    Duration delay(int attempt, RandomGenerator random) {
        long ceiling = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        long capped = Math.max(1, Math.min(max.toMillis(), ceiling));
        return switch (jitter) {
            case HALF_TO_FULL -> Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
            case FIFTEEN_PERCENT -> {
                long jittered = Math.round(Math.min(ceiling, max.toMillis()) * random.nextDouble(0.85, 1.15));
                yield Duration.ofMillis(Math.max(1, Math.min(max.toMillis(), jittered)));
            }
        };
    }
}
