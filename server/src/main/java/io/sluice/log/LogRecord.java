package io.sluice.log;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * One record read back from the log.
 *
 * @param offset the record's position in its stream, from 0, increasing (see {@link RecordLog})
 * @param payload read-only; read from a log, a view valid only until the next call on the reader
 *     that returned the record (see {@link StreamReader})
 */
public record LogRecord(long offset, long arrivalMillis, int flags, ByteBuffer payload) {
    public LogRecord {
        requireNonNull(payload, "payload is null");
        payload = payload.asReadOnlyBuffer();
    }

    /** A copy of the payload bytes. */
    public byte[] payloadBytes() {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }
}
