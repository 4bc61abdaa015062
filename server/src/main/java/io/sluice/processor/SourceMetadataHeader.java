package io.sluice.processor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How a record read from a source keeps its {@link SourceMetadata} in the record log: the log record's
 * flags have bit {@value #FLAG} set and its payload starts with a header before the record's data.
 * Records put with PutRecord(Batch) have no header (the bit clear).
 *
 * <pre>
 * header   = kind:u8 body
 * kind 1   = Kinesis: shardId:str partitionKey:str sequenceNumber:str subsequenceNumber:i32
 * kind 2   = Kafka:   partition:i32 offset:i64
 * str      = length:u16 UTF-8 bytes
 * </pre>
 *
 * Integers are big-endian. Kinesis bounds each string well below 64 KiB (shard ids, partition keys of
 * at most 256 characters, sequence numbers of at most 128 digits).
 */
public final class SourceMetadataHeader {
    /** The log flag bit that says a payload starts with a header. */
    public static final int FLAG = 0x02;

    private static final byte KINESIS = 1;
    private static final byte KAFKA = 2;

    private SourceMetadataHeader() {}

    /** The payload to append for a record of {@code data} with {@code metadata}: header, then data. */
    public static ByteBuffer prepend(SourceMetadata metadata, ByteBuffer data) {
        return switch (metadata) {
            case SourceMetadata.Put put -> data.duplicate();
            case SourceMetadata.Kinesis kinesis -> {
                byte[] shard = utf8(kinesis.shardId());
                byte[] key = utf8(kinesis.partitionKey());
                byte[] sequence = utf8(kinesis.sequenceNumber());
                ByteBuffer out =
                        ByteBuffer.allocate(1 + 6 + shard.length + key.length + sequence.length + 4 + data.remaining());
                out.put(KINESIS);
                putString(out, shard);
                putString(out, key);
                putString(out, sequence);
                out.putInt(kinesis.subsequenceNumber());
                yield out.put(data.duplicate()).flip();
            }
            case SourceMetadata.Kafka kafka -> {
                ByteBuffer out = ByteBuffer.allocate(1 + 4 + 8 + data.remaining());
                out.put(KAFKA).putInt(kafka.partition()).putLong(kafka.offset());
                yield out.put(data.duplicate()).flip();
            }
        };
    }

    /** The log flags of a record appended with {@link #prepend}. */
    public static int flags(SourceMetadata metadata) {
        return metadata instanceof SourceMetadata.Put ? 0 : FLAG;
    }

    /**
     * The metadata of a stored payload with log flags {@code flags}.
     *
     * @throws IllegalArgumentException if the header is malformed
     */
    public static SourceMetadata metadata(int flags, ByteBuffer payload) {
        if ((flags & FLAG) == 0) {
            return SourceMetadata.PUT;
        }
        ByteBuffer in = payload.duplicate();
        try {
            byte kind = in.get();
            return switch (kind) {
                case KINESIS -> new SourceMetadata.Kinesis(getString(in), getString(in), getString(in), in.getInt());
                case KAFKA -> new SourceMetadata.Kafka(in.getInt(), in.getLong());
                default -> throw new IllegalArgumentException("unknown source metadata kind " + kind);
            };
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated source metadata header", e);
        }
    }

    /** The record's data in a stored payload with log flags {@code flags}: a view after any header. */
    public static ByteBuffer data(int flags, ByteBuffer payload) {
        if ((flags & FLAG) == 0) {
            return payload;
        }
        ByteBuffer in = payload.duplicate();
        byte kind = in.get();
        switch (kind) {
            case KINESIS -> {
                skipString(in);
                skipString(in);
                skipString(in);
                in.position(in.position() + 4);
            }
            case KAFKA -> in.position(in.position() + 12);
            default -> throw new IllegalArgumentException("unknown source metadata kind " + kind);
        }
        return in.slice();
    }

    private static byte[] utf8(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("source metadata string longer than 65535 bytes");
        }
        return bytes;
    }

    private static void putString(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void skipString(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        in.position(in.position() + length);
    }
}
