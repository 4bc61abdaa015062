package io.sluice.log.journal;

import java.util.Arrays;

/**
 * One stream's data in one segment, and the sparse index over it: an entry (frame position, first
 * offset, payload bytes of the stream before it) for the stream's first batch frame in the segment
 * and then for every {@link #FRAMES_PER_ENTRY}th one. Readers find the frames between two entries by
 * walking the frames' back links from the later entry, so the index stays a few bytes per hundred
 * frames however small the batches are. Guarded by the {@link LogIndex} lock.
 */
final class StreamSegment {
    static final int FRAMES_PER_ENTRY = 256;

    private final StreamState stream;
    private final Segment segment;
    private final int localId;

    private long firstOffset = -1;
    private long endOffset;
    private long endCumulativeBytes;
    private int lastFramePosition = -1;
    private int framesSinceEntry;

    private int entries;
    private int[] entryPositions = new int[1];
    private long[] entryOffsets = new long[1];
    private long[] entryCumulativeBytes = new long[1];

    StreamSegment(StreamState stream, Segment segment, int localId) {
        this.stream = stream;
        this.segment = segment;
        this.localId = localId;
    }

    /**
     * Adds the next batch frame of the stream in this segment.
     *
     * @param cumulativeBefore the stream's payload bytes before this frame
     */
    void addFrame(int position, long frameFirstOffset, int recordCount, long payloadBytes, long cumulativeBefore) {
        if (entries == 0 || ++framesSinceEntry >= FRAMES_PER_ENTRY) {
            if (entries == entryPositions.length) {
                int capacity = entries * 2;
                entryPositions = Arrays.copyOf(entryPositions, capacity);
                entryOffsets = Arrays.copyOf(entryOffsets, capacity);
                entryCumulativeBytes = Arrays.copyOf(entryCumulativeBytes, capacity);
            }
            entryPositions[entries] = position;
            entryOffsets[entries] = frameFirstOffset;
            entryCumulativeBytes[entries] = cumulativeBefore;
            entries++;
            framesSinceEntry = 0;
        }
        if (firstOffset < 0) {
            firstOffset = frameFirstOffset;
        }
        endOffset = frameFirstOffset + recordCount;
        endCumulativeBytes = cumulativeBefore + payloadBytes;
        lastFramePosition = position;
    }

    StreamState stream() {
        return stream;
    }

    Segment segment() {
        return segment;
    }

    int localId() {
        return localId;
    }

    boolean isEmpty() {
        return entries == 0;
    }

    long firstOffset() {
        return firstOffset;
    }

    long endOffset() {
        return endOffset;
    }

    long endCumulativeBytes() {
        return endCumulativeBytes;
    }

    int lastFramePosition() {
        return lastFramePosition;
    }

    int entryCount() {
        return entries;
    }

    int entryPosition(int entry) {
        return entryPositions[entry];
    }

    long entryCumulativeBytes(int entry) {
        return entryCumulativeBytes[entry];
    }

    /** The last entry whose first offset is at most {@code offset}, or 0 if none is. */
    int entryAtOrBefore(long offset) {
        int index = Arrays.binarySearch(entryOffsets, 0, entries, offset);
        if (index >= 0) {
            return index;
        }
        return Math.max(0, -index - 2);
    }

    /**
     * Heap bytes this part costs, approximately: the object, its map and list slots, the array
     * headers, and 20 bytes per entry slot.
     */
    long indexBytes() {
        return 176 + (long) entryPositions.length * (Integer.BYTES + 2 * Long.BYTES);
    }
}
