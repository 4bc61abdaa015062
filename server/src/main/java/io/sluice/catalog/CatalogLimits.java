package io.sluice.catalog;

import java.time.Duration;

/**
 * Quotas and timings of the control plane. {@code transitionDelay} is how long a stream stays in
 * CREATING / DELETING and its encryption in ENABLING / DISABLING before the change completes.
 */
public record CatalogLimits(int streamsPerAccountAndRegion, Duration transitionDelay) {
    public static final int TAGS_PER_STREAM = 50;
    public static final int ENCRYPTION_TOGGLES_PER_DAY = 25;

    public CatalogLimits {
        if (streamsPerAccountAndRegion < 1) {
            throw new IllegalArgumentException("streamsPerAccountAndRegion must be positive");
        }
        if (transitionDelay.isNegative()) {
            throw new IllegalArgumentException("transitionDelay is negative");
        }
    }

    public static CatalogLimits defaults() {
        return new CatalogLimits(5_000, Duration.ofMillis(500));
    }
}
