package io.sluice.log.journal;

import static java.util.Objects.requireNonNull;

import io.sluice.log.StreamKey;

/**
 * Undelivered records of one stream dropped because they outlived the retention.
 *
 * @param firstOffset first dropped offset
 * @param records how many records
 * @param bytes their payload bytes
 */
public record ExpiredData(StreamKey stream, long firstOffset, long records, long bytes) {
    public ExpiredData {
        requireNonNull(stream, "stream is null");
        if (firstOffset < 0 || records < 1 || bytes < 0) {
            throw new IllegalArgumentException("bad expiry: " + firstOffset + ", " + records + ", " + bytes);
        }
    }
}
