package io.sluice.destination;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the engine writes records that leave the main path: error documents of records a destination
 * gave up on, and backup copies ({@code S3BackupMode} {@code AllData}). Thread-safe.
 */
public interface BackupStore {
    /** Starts one object; the caller closes it. */
    BackupWriter open(BackupTarget target) throws IOException;

    /**
     * One object being written: records are appended (an error document is followed by a newline; a
     * backup copy is the records' bytes as put), then it is finished once and stored, again on failure.
     * Not thread-safe; held off-heap.
     */
    interface BackupWriter extends AutoCloseable {
        /** Appends the remaining bytes of {@code record}. */
        void append(ByteBuffer record) throws IOException;

        /** Completes the object; afterwards only {@link #store()} may be called. */
        void finish() throws IOException;

        /** One attempt to store it: {@link DeliveryOutcome.Delivered} or {@link DeliveryOutcome.Retry}. */
        DeliveryOutcome store();

        /** Deletes what is staged. */
        @Override
        void close();
    }
}
