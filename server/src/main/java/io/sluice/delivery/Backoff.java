package io.sluice.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt {@code n} (from 1) waits a random time between half
 * and all of {@code min(max, base * 2^(n-1))}.
 */
record Backoff(Duration base, Duration max) {
    Duration delay(int attempt, RandomGenerator random) {
        long ceiling = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        long capped = Math.max(1, Math.min(max.toMillis(), ceiling));
        return Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
    }
}
