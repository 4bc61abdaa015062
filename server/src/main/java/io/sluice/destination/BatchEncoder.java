package io.sluice.destination;

import io.sluice.processor.ProcessorRecord;
import java.io.IOException;

/**
 * Receives one batch's records in order and turns them into something a {@link Destination} can send
 * (and send again on retry): an object on disk, a request body. Must not hold the batch in heap.
 * {@link #close()} releases what {@link #finish()} did not hand over.
 */
public interface BatchEncoder extends AutoCloseable {
    /**
     * Adds one record: its bytes as processed (the data's position to its limit), its stream position,
     * subsequence number and arrival time. The record's data is valid only during the call (it may be a
     * view of a reused buffer): keep a copy, never the buffer. Records are indexed in the order added.
     */
    void add(ProcessorRecord record) throws IOException;

    /** Completes the batch; afterwards the encoder accepts nothing more. */
    PreparedBatch finish() throws IOException;

    @Override
    void close() throws IOException;
}
