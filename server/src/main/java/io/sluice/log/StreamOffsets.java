package io.sluice.log;

/**
 * A stream's offsets at one moment: {@code start ≤ end} and {@code committed ≤ end}.
 *
 * @param start first offset still held (earlier data was delivered and freed, or expired)
 * @param committed everything before it is delivered; readers opened without an offset start here
 * @param end the offset the next appended record gets; records before it are readable
 */
public record StreamOffsets(long start, long committed, long end) {
    public StreamOffsets {
        if (start < 0 || start > end || committed < 0 || committed > end) {
            throw new IllegalArgumentException("inconsistent offsets: " + start + ", " + committed + ", " + end);
        }
    }
}
