package io.sluice.log.journal;

import java.nio.ByteBuffer;

/** Unsigned LEB128: seven bits per byte, least significant group first, high bit set on all but the last. */
final class VarInt {
    static final int MAX_LONG_BYTES = 10;

    private VarInt() {}

    static int size(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    static void put(ByteBuffer buffer, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            buffer.put((byte) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        buffer.put((byte) rest);
    }

    /**
     * Reads a value of at most {@code maxBytes} bytes.
     *
     * @throws BadFrameException if it is longer or runs past the limit
     */
    static long get(ByteBuffer buffer, int maxBytes) throws BadFrameException {
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (!buffer.hasRemaining()) {
                throw new BadFrameException("varint runs past the frame");
            }
            byte b = buffer.get();
            value |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return value;
            }
        }
        throw new BadFrameException("varint longer than " + maxBytes + " bytes");
    }

    /** Reads a value that fits an int and is not negative. */
    static int getInt(ByteBuffer buffer) throws BadFrameException {
        long value = get(buffer, 5);
        if (value > Integer.MAX_VALUE) {
            throw new BadFrameException("varint too large: " + value);
        }
        return (int) value;
    }

    /** Reads a value that fits a non-negative long. */
    static long getLong(ByteBuffer buffer) throws BadFrameException {
        long value = get(buffer, MAX_LONG_BYTES);
        if (value < 0) {
            throw new BadFrameException("varint too large");
        }
        return value;
    }
}
