package io.sluice.log.kafka;

import io.sluice.log.StreamKey;

/**
 * Where the Kafka log keeps how far each stream is delivered (in cluster mode a PostgreSQL table every
 * node shares), so that a node taking over a stream's delivery starts where the last owner committed.
 * Offsets are the log's own (see {@link io.sluice.log.RecordLog#commit}). Thread-safe.
 */
public interface CommittedOffsets {
    /** The stream's committed offset: 0 if it has none. */
    long committed(StreamKey stream);

    /**
     * Raises the stream's committed offset to {@code offset}, durable when it returns; a lower offset than
     * the stored one changes nothing (two nodes briefly delivering one stream never move it back).
     *
     * @throws java.io.UncheckedIOException the commit could not be stored (retry; a later commit covers it)
     */
    void commit(StreamKey stream, long offset);

    /** Forgets a deleted stream's offset. */
    void forget(StreamKey stream);
}
