package io.sluice.log.kafka;

import io.sluice.log.AppendRecord;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One appended batch as the value of one Kafka record, big-endian:
 *
 * <pre>
 * version      1 byte, 1
 * count        4 bytes, 1 to {@value #MAX_RECORDS}
 * count times:
 *   arrival    8 bytes, epoch milliseconds
 *   flags      1 byte, as appended
 *   length     4 bytes
 *   payload    length bytes
 * </pre>
 *
 * A record's offset in the log is its Kafka record's offset times {@value #MAX_RECORDS} plus its index
 * in the batch ({@link #offset}).
 */
final class PutBatches {
    static final int MAX_RECORDS = 1 << 16;
    /** The most bytes one batch's value may take (the journal's batch bound). */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final byte VERSION = 1;
    private static final int HEADER_BYTES = 1 + 4;
    private static final int ENTRY_BYTES = 8 + 1 + 4;

    private PutBatches() {}

    static long offset(long kafkaOffset, int index) {
        return kafkaOffset * MAX_RECORDS + index;
    }

    static long kafkaOffset(long offset) {
        return offset / MAX_RECORDS;
    }

    static int index(long offset) {
        return (int) (offset % MAX_RECORDS);
    }

    /**
     * The value holding {@code records}.
     *
     * @throws IllegalArgumentException more than {@value #MAX_RECORDS} records or {@value #MAX_BYTES} bytes
     */
    static byte[] encode(List<AppendRecord> records) {
        if (records.isEmpty() || records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_RECORDS + " records: " + records.size());
        }
        long size = HEADER_BYTES;
        for (AppendRecord record : records) {
            size += ENTRY_BYTES + record.payload().remaining();
        }
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("a batch takes at most " + MAX_BYTES + " bytes encoded: " + size);
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).put(VERSION).putInt(records.size());
        for (AppendRecord record : records) {
            out.putLong(record.arrivalMillis())
                    .put((byte) record.flags())
                    .putInt(record.payload().remaining())
                    .put(record.payload().duplicate());
        }
        return out.array();
    }

    /** The payload bytes of a batch's value, from its header (0 for a value too short to be one). */
    static long payloadBytes(byte[] value) {
        if (value.length < HEADER_BYTES) {
            return 0;
        }
        int count = ByteBuffer.wrap(value, 1, 4).getInt();
        return Math.max(0, value.length - HEADER_BYTES - (long) count * ENTRY_BYTES);
    }

    /** A decoded batch: its entries read in place, payloads as views of the value. */
    static final class Batch {
        private final ByteBuffer value;
        private final int count;
        private int index;

        private Batch(ByteBuffer value, int count) {
            this.value = value;
            this.count = count;
        }

        /**
         * @throws IllegalArgumentException the value is not a batch of this format
         */
        static Batch of(byte[] value) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            if (value.length < HEADER_BYTES || buffer.get() != VERSION) {
                throw new IllegalArgumentException("not a Sluice batch of version " + VERSION);
            }
            int count = buffer.getInt();
            if (count < 1 || count > MAX_RECORDS) {
                throw new IllegalArgumentException("a batch holds 1 to " + MAX_RECORDS + " records: " + count);
            }
            return new Batch(buffer, count);
        }

        int count() {
            return count;
        }

        /** The index of the entry {@link #next} reads. */
        int index() {
            return index;
        }

        boolean hasNext() {
            return index < count;
        }

        /** Payload bytes of the entries not read yet. */
        long remainingPayloadBytes() {
            return value.remaining() - (long) (count - index) * ENTRY_BYTES;
        }

        /** The next entry: arrival, flags and payload (a view of the value). */
        Entry next() {
            if (value.remaining() < ENTRY_BYTES) {
                throw new IllegalArgumentException("a batch entry is cut short");
            }
            long arrival = value.getLong();
            int flags = value.get() & 0xFF;
            int length = value.getInt();
            if (length < 0 || length > value.remaining()) {
                throw new IllegalArgumentException("a batch entry's payload is cut short");
            }
            ByteBuffer payload = value.slice(value.position(), length);
            value.position(value.position() + length);
            return new Entry(index++, arrival, flags, payload);
        }
    }

    record Entry(int index, long arrivalMillis, int flags, ByteBuffer payload) {}
}
