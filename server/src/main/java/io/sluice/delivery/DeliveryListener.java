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

    /**
     * The engine gave up on a batch ({@code errorCode} says why): its records went to the error output,
     * or were discarded when {@code errorOutput} is false.
     */
    default void failed(DeliveryStream stream, long records, long bytes, String errorCode, boolean errorOutput) {}

    /** A backup copy of a batch (or its error documents) was stored. */
    default void backedUp(DeliveryStream stream, long records, boolean errorOutput) {}

    /** A batch was given up because its data outlived the retention. */
    default void expired(DeliveryStream stream, long records, long bytes) {}
}
