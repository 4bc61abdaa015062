package io.sluice.log.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Reads segment files front to back for recovery, checking every frame's length and CRC and handing
 * frame headers to a visitor. Reads sequentially through one large direct buffer; checksums every
 * byte but decodes no record. Not thread-safe: one scanner per recovering thread.
 */
final class SegmentScanner {
    private static final int BUFFER_SIZE = 4 * 1024 * 1024;

    /** Receives the frames of one segment in order; throwing rejects the frame as damaged. */
    interface FrameVisitor {
        void stream(int position, FrameFormat.StreamDefinition definition) throws BadFrameException;

        void batch(int position, FrameFormat.BatchHeader header) throws BadFrameException;
    }

    /**
     * What a scan found.
     *
     * @param validEnd end of the last good frame: the segment's usable length
     * @param damage why scanning stopped before the end of the file, if it did
     * @param headerValid false if the segment header itself is torn or wrong (nothing was visited)
     */
    record Result(long validEnd, long fileSize, Optional<String> damage, boolean headerValid) {}

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final CRC32C crc = new CRC32C();
    private final byte[] headerBytes = new byte[FrameFormat.MAX_BATCH_HEADER];
    private FileChannel channel;
    private long bufferStart;
    private long fileSize;

    Result scan(FileChannel file, long sequence, FrameVisitor visitor) throws IOException {
        this.channel = file;
        this.fileSize = file.size();
        this.bufferStart = 0;
        buffer.clear().limit(0);
        if (!ensure(0, FrameFormat.SEGMENT_HEADER_SIZE)) {
            return new Result(0, fileSize, Optional.of("segment header is torn"), false);
        }
        try {
            FrameFormat.checkSegmentHeader(buffer.slice(0, FrameFormat.SEGMENT_HEADER_SIZE), sequence);
        } catch (BadFrameException e) {
            return new Result(0, fileSize, Optional.of(e.getMessage()), false);
        }
        long position = FrameFormat.SEGMENT_HEADER_SIZE;
        while (position < fileSize) {
            try {
                position += frame(position, visitor);
            } catch (BadFrameException e) {
                return new Result(position, fileSize, Optional.of(e.getMessage()), true);
            }
        }
        return new Result(position, fileSize, Optional.empty(), true);
    }

    /** Checks and visits the frame at {@code position}; returns its size. */
    private int frame(long position, FrameVisitor visitor) throws IOException, BadFrameException {
        if (!ensure(position, FrameFormat.FRAME_PREFIX_SIZE)) {
            throw new BadFrameException("frame prefix is torn");
        }
        int at = (int) (position - bufferStart);
        int length = FrameFormat.checkBodyLength(buffer.getInt(at));
        int storedCrc = buffer.getInt(at + 4);
        long bodyStart = position + FrameFormat.FRAME_PREFIX_SIZE;
        if (bodyStart + length > fileSize) {
            throw new BadFrameException("frame of " + length + " bytes runs past the end of the file (torn write)");
        }
        ByteBuffer header;
        int computedCrc;
        if (length <= BUFFER_SIZE - FrameFormat.FRAME_PREFIX_SIZE) {
            ensure(position, FrameFormat.FRAME_PREFIX_SIZE + length);
            ByteBuffer body = buffer.slice((int) (bodyStart - bufferStart), length);
            crc.reset();
            crc.update(body.duplicate());
            computedCrc = (int) crc.getValue();
            header = body;
        } else {
            int headerLength = Math.min(length, headerBytes.length);
            ensure(bodyStart, headerLength);
            buffer.get((int) (bodyStart - bufferStart), headerBytes, 0, headerLength);
            header = ByteBuffer.wrap(headerBytes, 0, headerLength);
            crc.reset();
            long done = 0;
            while (done < length) {
                int chunk = (int) Math.min(length - done, BUFFER_SIZE);
                ensure(bodyStart + done, chunk);
                crc.update(buffer.slice((int) (bodyStart + done - bufferStart), chunk));
                done += chunk;
            }
            computedCrc = (int) crc.getValue();
        }
        if (computedCrc != storedCrc) {
            throw new BadFrameException("frame checksum does not match");
        }
        int framePosition = (int) position;
        byte type = header.get(header.position());
        if (type == FrameFormat.TYPE_BATCH) {
            visitor.batch(framePosition, FrameFormat.BatchHeader.parse(header, length));
        } else if (type == FrameFormat.TYPE_STREAM) {
            visitor.stream(framePosition, FrameFormat.StreamDefinition.parse(header));
        } else {
            throw new BadFrameException("unknown frame type " + type);
        }
        return FrameFormat.FRAME_PREFIX_SIZE + length;
    }

    /**
     * Makes {@code [position, position + length)} available in the buffer, reading on from the file;
     * returns false if the file ends first. {@code length} is at most the buffer size.
     */
    private boolean ensure(long position, int length) throws IOException {
        if (position + length > fileSize) {
            return false;
        }
        if (position >= bufferStart && position + length <= bufferStart + buffer.limit()) {
            return true;
        }
        if (position >= bufferStart && position <= bufferStart + buffer.limit()) {
            buffer.position((int) (position - bufferStart));
            buffer.compact();
        } else {
            buffer.clear();
        }
        bufferStart = position;
        while (buffer.position() < length) {
            int read = channel.read(buffer, bufferStart + buffer.position());
            if (read < 0) {
                buffer.flip();
                return false;
            }
        }
        long wanted = Math.min(buffer.capacity(), fileSize - bufferStart);
        while (buffer.position() < wanted) {
            int read = channel.read(buffer, bufferStart + buffer.position());
            if (read < 0) {
                break;
            }
        }
        buffer.flip();
        return true;
    }
}
