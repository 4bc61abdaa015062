package io.sluice.delivery;

import io.sluice.catalog.DeliveryStream;
import java.time.Duration;

/** What the engine reports for metrics. Called on delivery threads; must be quick. */
public interface DeliveryListener {
    DeliveryListener NONE = new DeliveryListener() {};

    /** A batch reached the destination; {@code freshness} is the age of its oldest record then. */
    default void delivered(DeliveryStream stream, long records, long bytes, Duration freshness) {}

    /** An attempt failed and will be retried. */
    default void retrying(DeliveryStream stream, String errorCode) {}

    /** A batch was given up because its data outlived the retention. */
    default void expired(DeliveryStream stream, long records, long bytes) {}
}
