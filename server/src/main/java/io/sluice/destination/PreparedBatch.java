package io.sluice.destination;

/**
 * A batch ready to send, kept until it is delivered or given up: sending it again must send the same
 * thing (the same S3 key, the same request id). {@link #close()} deletes what it keeps on disk.
 */
public interface PreparedBatch extends AutoCloseable {
    long records();

    /** Payload bytes of the records, before any encoding or compression. */
    long bytes();

    @Override
    void close();
}
