package io.sluice.log.journal;

import java.time.Duration;

/**
 * Events of the journal for the metrics layer. Methods are called on the log's own threads and must
 * return quickly without calling back into the log.
 */
public interface LogListener {
    LogListener NONE = new LogListener() {};

    /** Undelivered data of a stream was dropped by retention. */
    default void expired(ExpiredData expired) {}

    /**
     * The writer made a group durable (or, under {@link FsyncPolicy.Interval}, written): {@code
     * batches} appends, {@code bytes} written, and the time the fsync took (zero when there was none).
     */
    default void groupWritten(int batches, long bytes, Duration fsync) {}
}
