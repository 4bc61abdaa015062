package io.sluice.delivery;

import io.sluice.catalog.DeliveryStream;
import java.time.Duration;

/** What the engine reports for metrics. Called on delivery threads; must be quick. */
public interface DeliveryListener {
    DeliveryListener NONE = new DeliveryListener() {};

    /**
     * Records of a batch reached the destination (all of it, or those an attempt delivered);
     * {@code freshness} is the age of the batch's oldest record then.
     */
    default void delivered(DeliveryStream stream, long records, long bytes, Duration freshness) {}

    /** An attempt failed and will be retried. */
    default void retrying(DeliveryStream stream, String errorCode) {}

    /**
     * The engine gave up on records of a batch ({@code errorCode} says why): they go to the error output,
     * or are discarded when {@code errorOutput} is false.
     */
    default void failed(DeliveryStream stream, long records, String errorCode, boolean errorOutput) {}

    /**
     * A backup copy of records ({@code bytes} of them as put), or error documents of records
     * ({@code errorOutput}, {@code bytes} 0), was stored.
     */
    default void backedUp(DeliveryStream stream, long records, long bytes, boolean errorOutput) {}

    /**
     * A pass of a stream that partitions its records dynamically ended: at most {@code active} partitions
     * were open at once during it, of the {@code limit} allowed, and {@code exceeded} says whether records
     * were refused for opening more.
     */
    default void partitions(DeliveryStream stream, int active, int limit, boolean exceeded) {}

    /** A batch of one partition of a stream was sealed, having filled at {@code bytesPerSecond}. */
    default void partitionFilled(DeliveryStream stream, double bytesPerSecond) {}

    /** A batch was given up because its data outlived the retention. */
    default void expired(DeliveryStream stream, long records, long bytes) {}
}
