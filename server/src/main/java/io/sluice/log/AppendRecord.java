package io.sluice.log;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * One record handed to {@link RecordLog#append}. The payload is the bytes from its position to its
 * limit; the log reads them without moving the position, and the caller must not change them until
 * the append completes.
 *
 * @param arrivalMillis approximate arrival time, epoch milliseconds, not negative
 * @param flags 0 to 255, opaque to the log and returned as given (ingest uses bit 0 for "stored
 *     encrypted")
 */
public record AppendRecord(ByteBuffer payload, long arrivalMillis, int flags) {
    public AppendRecord {
        requireNonNull(payload, "payload is null");
        if (arrivalMillis < 0) {
            throw new IllegalArgumentException("arrival time is not before the epoch: " + arrivalMillis);
        }
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("flags fit in one byte: " + flags);
        }
    }

    public static AppendRecord of(byte[] payload, long arrivalMillis) {
        return new AppendRecord(ByteBuffer.wrap(payload), arrivalMillis, 0);
    }
}
