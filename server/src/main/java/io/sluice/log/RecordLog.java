package io.sluice.log;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The durable record log, as the rest of Sluice sees it: what a put is acknowledged against, and
 * what delivery reads from and commits to. Only what every log can answer is here (the local
 * journal, a Kafka topic per stream, a Kinesis shard); an implementation's tuning, statistics and
 * maintenance stay on the implementation.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Each stream's records have offsets from 0, increasing in the order its appends reached the
 *       log; a batch's records get consecutive offsets, in the order given. The local journal's are
 *       dense; another log may leave gaps between batches (the Kafka log does).
 *   <li>{@link #append} returns once the batch is durable (the implementation says what durable
 *       means). A failed append ({@link LogException}) appended nothing that will ever be read.
 *   <li>Readers see only completed appends, in offset order. Records the log no longer holds
 *       (delivered and freed, or older than the retention) are skipped.
 *   <li>{@link #commit} durably records how far a stream is delivered; a reader opened without an
 *       offset starts there, also after a restart.
 *   <li>Failures other than programming errors are {@link LogException}s: {@link LogFullException},
 *       {@link LogWriteException} and {@link LogClosedException} mean "retry later", {@link
 *       StreamDeletedException} means never.
 * </ul>
 *
 * <p>Thread-safety: every method may be called from any thread, concurrently (virtual threads
 * welcome). A {@link StreamReader} serves one thread.
 */
public interface RecordLog extends AutoCloseable {
    /**
     * Appends a batch to a stream and waits until it is durable.
     *
     * @param records 1 or more, handed over as {@link AppendRecord} describes; an implementation may
     *     bound a batch's size (the local journal: 16 MiB encoded) and refuses larger batches with
     *     {@link IllegalArgumentException}
     * @return the offsets the records got
     * @throws LogFullException the log has no room now (retry later)
     * @throws LogWriteException writing failed; nothing of the batch will be read (retry later)
     * @throws StreamDeletedException the stream was deleted
     * @throws LogClosedException the log is closing
     * @throws InterruptedException the caller was interrupted while waiting; the batch may or may not
     *     be appended
     */
    default AppendResult append(StreamKey stream, List<AppendRecord> records) throws InterruptedException {
        try {
            return appendAsync(stream, records).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LogException failure) {
                throw failure;
            }
            throw new IllegalStateException("an append failed with other than a LogException", e.getCause());
        }
    }

    /**
     * Starts appending a batch, as {@link #append} does, without waiting: the future completes when the
     * batch is durable, or exceptionally with a {@link LogException}.
     *
     * @throws LogException the log refused the batch at once (full, closed, stream deleted); nothing
     *     was appended
     */
    CompletableFuture<AppendResult> appendAsync(StreamKey stream, List<AppendRecord> records);

    /**
     * A reader of the stream from its committed offset (0 for a stream the log never held).
     *
     * @throws StreamDeletedException the stream was deleted
     * @throws LogClosedException the log is closed
     */
    StreamReader openReader(StreamKey stream);

    /**
     * A reader of the stream from {@code fromOffset}; records the log no longer holds are skipped.
     *
     * @throws IllegalArgumentException if {@code fromOffset} is negative or beyond the stream's end
     * @throws StreamDeletedException the stream was deleted
     * @throws LogClosedException the log is closed
     */
    StreamReader openReader(StreamKey stream, long fromOffset);

    /**
     * The stream's offsets now, if the log has ever held data of it.
     *
     * @throws StreamDeletedException the stream was deleted
     * @throws LogClosedException the log is closed
     */
    Optional<StreamOffsets> offsets(StreamKey stream);

    /**
     * Records that every record of the stream before {@code offset} is delivered: durable when it
     * returns; moving backwards is ignored. The log may then free what no stream needs any more.
     *
     * @throws IllegalArgumentException if {@code offset} is negative or beyond the stream's end
     * @throws LogWriteException the commit could not be made durable (retry; a later commit covers it)
     * @throws StreamDeletedException the stream was deleted
     * @throws LogClosedException the log is closed
     */
    void commit(StreamKey stream, long offset);

    /**
     * Deletes a stream's data: durable when it returns; from then on its appends, readers, offsets and
     * commits fail with {@link StreamDeletedException}, and its data is freed as the log can. Deleting a
     * deleted stream does nothing. The caller never reuses the key (see {@link StreamKey}).
     *
     * @throws LogWriteException the deletion could not be made durable
     * @throws LogClosedException the log is closed
     */
    void deleteStream(StreamKey stream);

    /**
     * Completes or fails the appends under way and releases the log. Afterwards its methods fail with
     * {@link LogClosedException}, and so do open readers when they next read from the log. Closing
     * again does nothing.
     */
    @Override
    void close();
}
