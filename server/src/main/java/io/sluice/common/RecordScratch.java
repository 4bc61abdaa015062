package io.sluice.common;

import java.nio.ByteBuffer;

/**
 * Room for reading one record's bytes into an array, reused from record to record: the log hands out
 * read-only views, and parsers such as Jackson's read arrays. Keeps room for records up to {@value
 * #MAX_KEPT} bytes; a larger one gets an array of its own. Not thread-safe: one per reader.
 */
public final class RecordScratch {
    /** The largest record room is kept for. */
    static final int MAX_KEPT = 64 * 1024;

    private byte[] room = new byte[4 * 1024];

    /**
     * {@code data}'s remaining bytes, from index 0 of the array returned (its {@code remaining()} of them);
     * the array is overwritten by the next call. {@code data}'s position is left as it is.
     */
    public byte[] copy(ByteBuffer data) {
        int length = data.remaining();
        byte[] copy = length <= room.length ? room : new byte[length];
        if (copy != room && length <= MAX_KEPT) {
            room = copy;
        }
        data.get(data.position(), copy, 0, length);
        return copy;
    }
}
