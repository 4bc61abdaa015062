package io.sluice.destination;

import java.io.IOException;

/**
 * A batch ready to send, kept until it is delivered or given up: sending it again must send the same
 * thing (the same S3 key, the same request id). {@link #close()} deletes what it keeps on disk.
 */
public interface PreparedBatch extends AutoCloseable {
    long records();

    /** Payload bytes of the records, before any encoding or compression. */
    long bytes();

    /**
     * A batch of only the records at {@code indexes} (ascending indexes of this batch), to send again
     * after a {@link DeliveryOutcome.Partial} outcome; record {@code i} of the new batch is record
     * {@code indexes[i]} of this one. This batch stays open until closed. A destination that never
     * answers {@code Partial} need not support it.
     */
    default PreparedBatch retain(int[] indexes) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " answers no partial outcomes");
    }

    @Override
    void close();
}
