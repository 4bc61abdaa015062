package io.sluice.destination;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * Receives one batch's records in order and turns them into something a {@link Destination} can send
 * (and send again on retry): an object on disk, a request body. Must not hold the batch in heap.
 * {@link #close()} releases what {@link #finish()} did not hand over.
 */
public interface BatchEncoder extends AutoCloseable {
    /**
     * Adds one record: its bytes as put (the position to the limit) and its arrival time. {@code data}
     * is valid only during the call (it may be a view of the log reader's buffer): keep a copy, never
     * the buffer.
     */
    void add(ByteBuffer data, Instant arrival) throws IOException;

    /** Completes the batch; afterwards the encoder accepts nothing more. */
    PreparedBatch finish() throws IOException;

    @Override
    void close() throws IOException;
}
