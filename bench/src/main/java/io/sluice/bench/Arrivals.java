package io.sluice.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * When each freshness record was first seen at the destination, by its id. A record's data is its id
 * in decimal ASCII, padding and a newline ({@link #record}), so delivered bodies, being the records
 * concatenated, split back into ids line by line. Thread-safe.
 */
final class Arrivals {
    private final ConcurrentMap<Long, Long> firstSeenNanos = new ConcurrentHashMap<>();

    /** The data of record {@code id}: {@code recordBytes} bytes, the id, dots, and a final newline. */
    static byte[] record(long id, int recordBytes) {
        String digits = Long.toString(id);
        if (recordBytes < digits.length() + 1) {
            throw new IllegalArgumentException("records of " + recordBytes + " bytes cannot hold id " + id);
        }
        byte[] data = new byte[recordBytes];
        for (int i = 0; i < data.length - 1; i++) {
            data[i] = i < digits.length() ? (byte) digits.charAt(i) : (byte) '.';
        }
        data[data.length - 1] = '\n';
        return data;
    }

    /** Notes every record in {@code body} (concatenated records) as seen at {@code nanoTime}. */
    void seen(byte[] body, int offset, int length, long nanoTime) {
        int end = offset + length;
        int line = offset;
        while (line < end) {
            long id = 0;
            int digits = 0;
            int i = line;
            while (i < end && body[i] >= '0' && body[i] <= '9' && digits < 18) {
                id = id * 10 + (body[i] - '0');
                digits++;
                i++;
            }
            if (digits > 0) {
                firstSeenNanos.putIfAbsent(id, nanoTime);
            }
            while (i < end && body[i] != '\n') {
                i++;
            }
            line = i + 1;
        }
    }

    /** When record {@code id} was first seen ({@link System#nanoTime()}), or -1 if not yet. */
    long firstSeen(long id) {
        return firstSeenNanos.getOrDefault(id, -1L);
    }
}
