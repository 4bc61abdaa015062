package io.sluice.log.journal;

import static java.util.Objects.requireNonNull;

import io.sluice.log.StreamKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The content of the checkpoint file: per live stream its start and committed offsets, per deleted
 * stream a tombstone, and the next segment sequence number. Written whole with {@code
 * AtomicFiles.replace}; the byte layout is in {@code package-info.java}.
 */
record Checkpoint(long nextSegmentSequence, List<Entry> streams, List<Tombstone> tombstones) {
    static final String FILE_NAME = "streams.checkpoint";
    static final int MAGIC = 0x534C4350; // "SLCP"
    static final byte VERSION = 1;

    static final Checkpoint EMPTY = new Checkpoint(0, List.of(), List.of());

    Checkpoint {
        streams = List.copyOf(streams);
        tombstones = List.copyOf(tombstones);
    }

    /** A live stream: offsets before {@code start} are dropped, before {@code committed} delivered. */
    record Entry(StreamKey key, long start, long committed) {
        Entry {
            requireNonNull(key, "key is null");
        }
    }

    /**
     * A deleted stream: data of {@code key} in segments with a sequence below {@code segmentsBefore}
     * is dead. Kept until every such segment is gone.
     */
    record Tombstone(StreamKey key, long segmentsBefore) {
        Tombstone {
            requireNonNull(key, "key is null");
        }
    }

    byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.putInt(MAGIC).put(VERSION);
        VarInt.put(buffer, nextSegmentSequence);
        VarInt.put(buffer, streams.size());
        drain(buffer, out);
        for (Entry entry : streams) {
            putKey(entry.key(), buffer, out);
            VarInt.put(buffer, entry.start());
            VarInt.put(buffer, entry.committed());
            drain(buffer, out);
        }
        VarInt.put(buffer, tombstones.size());
        drain(buffer, out);
        for (Tombstone tombstone : tombstones) {
            putKey(tombstone.key(), buffer, out);
            VarInt.put(buffer, tombstone.segmentsBefore());
            drain(buffer, out);
        }
        byte[] body = out.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        return ByteBuffer.allocate(body.length + Integer.BYTES)
                .put(body)
                .putInt((int) crc.getValue())
                .array();
    }

    static Checkpoint decode(byte[] bytes) throws BadFrameException {
        if (bytes.length < 4 + 1 + Integer.BYTES) {
            throw new BadFrameException("checkpoint is too short");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - Integer.BYTES);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.getInt(bytes.length - Integer.BYTES) != (int) crc.getValue()) {
            throw new BadFrameException("checkpoint checksum does not match");
        }
        buffer.limit(bytes.length - Integer.BYTES);
        if (buffer.getInt() != MAGIC || buffer.get() != VERSION) {
            throw new BadFrameException("not a version " + VERSION + " checkpoint");
        }
        long nextSegment = VarInt.getLong(buffer);
        int streamCount = VarInt.getInt(buffer);
        List<Entry> streams = new ArrayList<>(Math.min(streamCount, 1 << 16));
        for (int i = 0; i < streamCount; i++) {
            streams.add(new Entry(getKey(buffer), VarInt.getLong(buffer), VarInt.getLong(buffer)));
        }
        int tombstoneCount = VarInt.getInt(buffer);
        List<Tombstone> tombstones = new ArrayList<>(Math.min(tombstoneCount, 1 << 16));
        for (int i = 0; i < tombstoneCount; i++) {
            tombstones.add(new Tombstone(getKey(buffer), VarInt.getLong(buffer)));
        }
        if (buffer.hasRemaining()) {
            throw new BadFrameException("checkpoint has trailing bytes");
        }
        return new Checkpoint(nextSegment, streams, tombstones);
    }

    private static void putKey(StreamKey key, ByteBuffer buffer, ByteArrayOutputStream out) {
        byte[] utf8 = key.value().getBytes(StandardCharsets.UTF_8);
        VarInt.put(buffer, utf8.length);
        drain(buffer, out);
        out.write(utf8, 0, utf8.length);
    }

    private static StreamKey getKey(ByteBuffer buffer) throws BadFrameException {
        int length = VarInt.getInt(buffer);
        if (length < 1 || length > StreamKey.MAX_UTF8_BYTES || length > buffer.remaining()) {
            throw new BadFrameException("checkpoint key length " + length + " is out of range");
        }
        byte[] utf8 = new byte[length];
        buffer.get(utf8);
        try {
            return new StreamKey(new String(utf8, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BadFrameException("checkpoint key is not valid: " + e.getMessage());
        }
    }

    private static void drain(ByteBuffer buffer, ByteArrayOutputStream out) {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }
}
