package io.sluice.log;

/**
 * Where an acknowledged batch landed: its records have the stream offsets {@code firstOffset} to
 * {@code firstOffset + recordCount - 1}, in the order given.
 */
public record AppendResult(long firstOffset, int recordCount) {
    public AppendResult {
        if (firstOffset < 0 || recordCount < 1) {
            throw new IllegalArgumentException("bad append result: " + firstOffset + ", " + recordCount);
        }
    }

    /** The offset after the batch's last record. */
    public long endOffset() {
        return firstOffset + recordCount;
    }
}
