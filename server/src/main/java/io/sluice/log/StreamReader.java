package io.sluice.log;

import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads one stream's records in offset order, from a position on: only records of completed appends,
 * and those as they arrive (a reader that has read everything sees later appends). Records the log
 * no longer holds are skipped: the next record returned may then have a higher offset than {@link
 * #position()}.
 *
 * <p>A record's payload is valid until the next call on its reader (a record returned again, as
 * {@link #next} returns the one {@link #peek} showed, is valid anew), so a log can serve views of its
 * buffers without copying. A consumer that keeps a payload longer copies it ({@link
 * LogRecord#payloadBytes}).
 *
 * <p>Reads fail with {@link StreamDeletedException} once the stream is deleted, {@link
 * LogClosedException} once the log is closed, {@link LogCorruptException} on damaged data and {@link
 * UncheckedIOException} when reading fails; a consumer may then open a new reader at the offset it
 * needs.
 *
 * <p>Not thread-safe: one reader serves one consumer. Any number of readers may read one stream.
 */
public interface StreamReader extends AutoCloseable {
    /** The offset the next record returned will have at least. */
    long position();

    /** The next record without consuming it, or empty if every readable record has been read. */
    Optional<LogRecord> peek();

    /** The next record, consumed, or empty if every readable record has been read. */
    Optional<LogRecord> next();

    /**
     * Payload bytes of the readable records from the position on. The local journal counts them all;
     * another log may answer a lower bound (what it has fetched, say): a consumer waiting for enough
     * bytes then waits longer, and loses nothing.
     */
    long availableBytes();

    /** Arrival time of the next unread record, if there is one. */
    OptionalLong firstUnreadArrivalMillis();

    /**
     * Says the consumer will not read for a while (a stream waiting out its buffering interval): the
     * reader lets go of what it can read again, such as files, buffers and fetched records. The
     * position and a peeked record are kept; the next read goes on exactly where the reader was.
     */
    void releaseBuffers();

    /** Releases the reader; it reads no more afterwards ({@link IllegalStateException}). */
    @Override
    void close();
}
