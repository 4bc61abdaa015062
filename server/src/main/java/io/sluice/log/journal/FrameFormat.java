package io.sluice.log.journal;

import io.sluice.log.AppendRecord;
import io.sluice.log.StreamKey;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of segment files, written and parsed in one place. The layout is documented in
 * {@code package-info.java}; change both together and bump {@link #SEGMENT_VERSION}.
 */
final class FrameFormat {
    static final int SEGMENT_MAGIC = 0x534C4F47; // "SLOG"
    static final byte SEGMENT_VERSION = 1;
    static final int SEGMENT_HEADER_SIZE = 16;
    static final String SEGMENT_SUFFIX = ".seg";

    /** Length and CRC before every frame body. */
    static final int FRAME_PREFIX_SIZE = 8;
    /** Largest frame body; a batch that does not fit is refused. */
    static final int MAX_FRAME_BODY = 16 * 1024 * 1024;

    static final byte TYPE_STREAM = 1;
    static final byte TYPE_BATCH = 2;

    /** Batch attribute: every record has its own flags byte (else one flags byte for the batch). */
    static final int ATTR_RECORD_FLAGS = 1;
    /** Batch attribute: every record has its own arrival delta (else all arrived at the batch time). */
    static final int ATTR_RECORD_ARRIVAL = 2;

    /** Upper bound of a batch body's fixed part: type to the batch flags byte. */
    static final int MAX_BATCH_HEADER = 64;
    /** Enough bytes at a batch frame's start to read its type, stream id and back distance. */
    static final int BATCH_LINK_BYTES = FRAME_PREFIX_SIZE + 1 + 5 + 5;

    private FrameFormat() {}

    static String segmentFileName(long sequence) {
        return String.format(java.util.Locale.ROOT, "%020d%s", sequence, SEGMENT_SUFFIX);
    }

    static void putSegmentHeader(ByteBuffer buffer, long sequence) {
        buffer.putInt(SEGMENT_MAGIC);
        buffer.put(SEGMENT_VERSION);
        buffer.put((byte) 0).put((byte) 0).put((byte) 0);
        buffer.putLong(sequence);
    }

    static void checkSegmentHeader(ByteBuffer header, long expectedSequence) throws BadFrameException {
        if (header.remaining() < SEGMENT_HEADER_SIZE) {
            throw new BadFrameException("segment header is torn");
        }
        if (header.getInt() != SEGMENT_MAGIC) {
            throw new BadFrameException("not a segment file (bad magic)");
        }
        byte version = header.get();
        if (version != SEGMENT_VERSION) {
            throw new BadFrameException("unknown segment format version " + version);
        }
        int reserved = (header.get() << 16) | (header.get() << 8) | header.get();
        if (reserved != 0) {
            throw new BadFrameException("segment header reserved bytes are not zero");
        }
        long sequence = header.getLong();
        if (sequence != expectedSequence) {
            throw new BadFrameException("segment header says sequence " + sequence + ", file name " + expectedSequence);
        }
    }

    static int streamFrameSize(int localId, byte[] key) {
        return FRAME_PREFIX_SIZE + 1 + VarInt.size(localId) + VarInt.size(key.length) + key.length;
    }

    static void putStreamFrame(ByteBuffer buffer, CRC32C crc, int localId, byte[] key) {
        int start = buffer.position();
        buffer.position(start + FRAME_PREFIX_SIZE);
        buffer.put(TYPE_STREAM);
        VarInt.put(buffer, localId);
        VarInt.put(buffer, key.length);
        buffer.put(key);
        finishFrame(buffer, crc, start);
    }

    /** Writes one batch frame; {@code buffer} has room for {@link PendingAppend#maxFrameSize}. */
    static void putBatchFrame(
            ByteBuffer buffer, CRC32C crc, PendingAppend batch, int localId, int backDistance, long firstOffset) {
        int start = buffer.position();
        buffer.position(start + FRAME_PREFIX_SIZE);
        buffer.put(TYPE_BATCH);
        VarInt.put(buffer, localId);
        VarInt.put(buffer, backDistance);
        VarInt.put(buffer, firstOffset);
        VarInt.put(buffer, batch.records().size());
        VarInt.put(buffer, batch.payloadBytes());
        buffer.putLong(batch.minArrivalMillis());
        int attributes = batch.attributes();
        buffer.put((byte) attributes);
        boolean recordArrival = (attributes & ATTR_RECORD_ARRIVAL) != 0;
        boolean recordFlags = (attributes & ATTR_RECORD_FLAGS) != 0;
        if (recordArrival) {
            VarInt.put(buffer, batch.arrivalSpanMillis());
        }
        if (!recordFlags) {
            buffer.put((byte) batch.batchFlags());
        }
        for (AppendRecord record : batch.records()) {
            if (recordFlags) {
                buffer.put((byte) record.flags());
            }
            if (recordArrival) {
                VarInt.put(buffer, record.arrivalMillis() - batch.minArrivalMillis());
            }
            ByteBuffer payload = record.payload().duplicate();
            VarInt.put(buffer, payload.remaining());
            buffer.put(payload);
        }
        finishFrame(buffer, crc, start);
    }

    private static void finishFrame(ByteBuffer buffer, CRC32C crc, int start) {
        int end = buffer.position();
        int bodyStart = start + FRAME_PREFIX_SIZE;
        crc.reset();
        crc.update(buffer.slice(bodyStart, end - bodyStart));
        buffer.putInt(start, end - bodyStart);
        buffer.putInt(start + 4, (int) crc.getValue());
    }

    /** The CRC32C of {@code body} from its position to its limit, as stored in the frame prefix. */
    static int checksum(CRC32C crc, ByteBuffer body) {
        crc.reset();
        crc.update(body.duplicate());
        return (int) crc.getValue();
    }

    /** Checks a frame prefix's length field; returns it. */
    static int checkBodyLength(int length) throws BadFrameException {
        if (length < 1 || length > MAX_FRAME_BODY) {
            throw new BadFrameException("frame length " + Integer.toUnsignedString(length) + " is out of range");
        }
        return length;
    }

    /** A stream definition frame's content: segment-local id → key. */
    record StreamDefinition(int localId, StreamKey key) {
        /** Parses a whole stream frame body, positioned at its type byte. */
        static StreamDefinition parse(ByteBuffer body) throws BadFrameException {
            if (body.get() != TYPE_STREAM) {
                throw new BadFrameException("not a stream frame");
            }
            int localId = VarInt.getInt(body);
            int length = VarInt.getInt(body);
            if (length < 1 || length > StreamKey.MAX_UTF8_BYTES || length != body.remaining()) {
                throw new BadFrameException("stream key length " + length + " does not match the frame");
            }
            try {
                String key = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(body)
                        .toString();
                return new StreamDefinition(localId, new StreamKey(key));
            } catch (CharacterCodingException | IllegalArgumentException e) {
                throw new BadFrameException("stream key is not valid: " + e.getMessage());
            }
        }
    }

    /**
     * The fixed part of a batch frame body.
     *
     * @param headerLength bytes of the body before the first record
     */
    record BatchHeader(
            int localId,
            int backDistance,
            long firstOffset,
            int recordCount,
            long payloadBytes,
            long minArrivalMillis,
            int attributes,
            long arrivalSpanMillis,
            int batchFlags,
            int headerLength) {

        long endOffset() {
            return firstOffset + recordCount;
        }

        long maxArrivalMillis() {
            return minArrivalMillis + arrivalSpanMillis;
        }

        /**
         * Parses the fixed part from {@code body} (positioned at the type byte; may hold only the
         * first bytes of a long body) and checks it against the body's total length.
         */
        static BatchHeader parse(ByteBuffer body, int bodyLength) throws BadFrameException {
            int start = body.position();
            if (!body.hasRemaining() || body.get() != TYPE_BATCH) {
                throw new BadFrameException("not a batch frame");
            }
            int localId = VarInt.getInt(body);
            int backDistance = VarInt.getInt(body);
            long firstOffset = VarInt.getLong(body);
            int recordCount = VarInt.getInt(body);
            long payloadBytes = VarInt.getLong(body);
            if (body.remaining() < Long.BYTES + 1) {
                throw new BadFrameException("batch header runs past the frame");
            }
            long minArrival = body.getLong();
            int attributes = body.get() & 0xFF;
            if ((attributes & ~(ATTR_RECORD_FLAGS | ATTR_RECORD_ARRIVAL)) != 0) {
                throw new BadFrameException("unknown batch attributes " + attributes);
            }
            long span = (attributes & ATTR_RECORD_ARRIVAL) != 0 ? VarInt.getLong(body) : 0;
            int flags = 0;
            if ((attributes & ATTR_RECORD_FLAGS) == 0) {
                if (!body.hasRemaining()) {
                    throw new BadFrameException("batch header runs past the frame");
                }
                flags = body.get() & 0xFF;
            }
            int headerLength = body.position() - start;
            if (recordCount < 1
                    || minArrival < 0
                    || firstOffset > Long.MAX_VALUE - recordCount
                    || minArrival > Long.MAX_VALUE - span
                    || payloadBytes > bodyLength - headerLength
                    || (long) recordCount > bodyLength - headerLength) {
                throw new BadFrameException("batch header is inconsistent with its frame");
            }
            return new BatchHeader(
                    localId,
                    backDistance,
                    firstOffset,
                    recordCount,
                    payloadBytes,
                    minArrival,
                    attributes,
                    span,
                    flags,
                    headerLength);
        }
    }
}
