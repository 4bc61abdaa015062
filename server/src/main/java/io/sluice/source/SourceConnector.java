package io.sluice.source;

import io.sluice.catalog.SourceSpec;

/** Reads one kind of source (Kinesis data streams, Kafka topics) for the streams that have one. */
public interface SourceConnector extends AutoCloseable {
    /** Whether this connector reads {@code source}. */
    boolean reads(SourceSpec source);

    /**
     * Reads the context's source until interrupted, starting after the positions last saved in its {@link
     * Checkpoints} (or where the source's configuration says for a first read). Records go to the context's
     * {@link SourceSink} in the source's order; a position is saved only after the records up to it were
     * appended. After each successful call to the source it tells the context ({@link
     * SourceContext#reachable()}).
     *
     * @throws InterruptedException when stopped (the normal end)
     * @throws Exception when the source fails (unreachable, refusing, gone): the caller logs it once per
     *     outage and calls again after a backoff, and the read resumes from the saved positions
     */
    void read(SourceContext context) throws Exception;

    /** Releases what the connector shares between streams (clients). */
    @Override
    default void close() {}
}
