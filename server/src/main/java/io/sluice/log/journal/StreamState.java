package io.sluice.log.journal;

import io.sluice.log.StreamKey;
import io.sluice.log.StreamOffsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the log knows about one stream. Fields are guarded by the {@link LogIndex} lock, except
 * {@link #deleted} (volatile, set under the lock, read by the writer without it) and {@link
 * #writerNext}, which only the writer thread touches.
 */
final class StreamState {
    private final StreamKey key;
    private final byte[] keyUtf8;

    private long start;
    private long committed;
    private long end;
    private long cumulativeBytes;
    private final List<StreamSegment> segments = new ArrayList<>();
    private volatile boolean deleted;

    private long writerNext;

    StreamState(StreamKey key) {
        this.key = key;
        this.keyUtf8 = key.value().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    StreamKey key() {
        return key;
    }

    /** The key as written in stream definition frames; not to be modified. */
    byte[] keyUtf8() {
        return keyUtf8;
    }

    long start() {
        return start;
    }

    void start(long offset) {
        start = offset;
    }

    long committed() {
        return committed;
    }

    void committed(long offset) {
        committed = offset;
    }

    /** Everything before this offset is delivered or dropped: data below it no longer holds a segment. */
    long released() {
        return Math.max(start, committed);
    }

    /** Offset after the last readable record. */
    long end() {
        return end;
    }

    /** Payload bytes of all readable records since the log was opened (a running total). */
    long cumulativeBytes() {
        return cumulativeBytes;
    }

    /** Segments with data of this stream, oldest first. */
    List<StreamSegment> segments() {
        return segments;
    }

    boolean deleted() {
        return deleted;
    }

    void markDeleted() {
        deleted = true;
    }

    /** Makes a frame readable. */
    void published(long frameEnd, long payloadBytes) {
        end = frameEnd;
        cumulativeBytes += payloadBytes;
    }

    /**
     * Recovery, after every segment was scanned: applies the checkpoint. Offsets below the
     * checkpoint's start or committed offset were in the log before, so the next append never
     * reuses them even when no data of the stream is left.
     */
    void restore(long checkpointStart, long checkpointCommitted) {
        long firstHeld = segments.isEmpty() ? Long.MAX_VALUE : segments.get(0).firstOffset();
        end = Math.max(end, Math.max(checkpointStart, checkpointCommitted));
        start = Math.min(end, Math.max(checkpointStart, firstHeld));
        committed = checkpointCommitted;
        writerNext = end;
    }

    long writerNext() {
        return writerNext;
    }

    void writerNext(long offset) {
        writerNext = offset;
    }

    StreamOffsets offsets() {
        return new StreamOffsets(start, Math.min(committed, end), end);
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
