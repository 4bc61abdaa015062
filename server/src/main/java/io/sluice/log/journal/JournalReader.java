package io.sluice.log.journal;

import io.sluice.log.LogCorruptException;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The journal's {@link StreamReader}: reads one stream's records in offset order, from disk, one
 * frame at a time: the backlog stays in the log, not in the heap. Sees only records whose append has
 * completed (under the default policy: durable ones). Records dropped from the log (expired, or
 * delivered and freed) are skipped: the next record returned may then have a higher offset than
 * {@link #position()}.
 *
 * <p>Finds its stream's frames in the shared journal through the sparse index and the frames' back
 * links (see {@code package-info.java}), so reading one stream costs I/O for that stream's frames,
 * not for every stream's. Holds a file open only while it has records to read; a caught-up reader
 * holds no file and no buffers.
 *
 * <p>Payloads are views of the reader's window or frame buffer, valid as long as the port promises:
 * the reader allocates and copies no payload bytes. Both buffers are direct ones lent by {@link
 * ReadBuffers} while the reader has records to read.
 *
 * <p>Not thread-safe: one reader serves one consumer. Any number of readers may read one stream.
 */
public final class JournalReader implements StreamReader {
    private static final int WINDOW_SIZE = 64 * 1024;
    /**
     * Read size when the stream's frames lie far apart (other streams' frames between them): a full
     * window would mostly carry bytes of other streams.
     */
    private static final int SPARSE_READ = 4 * 1024;

    private final LogIndex index;
    private final ReadBuffers buffers;
    private final StreamState stream;
    private final CRC32C crc = new CRC32C();
    private boolean closed;

    /** Offset of the next record {@link #next} may return: lower ones are skipped. */
    private long position;
    /** The stream's running payload total before {@link #position}, once positioned. */
    private long positionCumulative;

    // The run of frames being read.
    private Segment segment;
    private FileChannel channel;
    private int localId;
    private final int[] chunk = new int[StreamSegment.FRAMES_PER_ENTRY + 1];
    private int chunkNext;
    private int chunkSize;
    private int lastFramePosition = -1;

    // Bytes of the segment file around the frames being read.
    private ByteBuffer window;
    private long windowStart;
    /** How much the next window fill reads: the window, or less when frames are sparse. */
    private int fill = WINDOW_SIZE;
    /** For frames larger than the window; kept while reading, dropped when caught up. */
    private ByteBuffer large;

    // The frame being decoded.
    private ByteBuffer frame;
    private FrameFormat.BatchHeader header;
    private long frameStart;
    private int recordsLeft;
    private long nextRecordOffset;
    private long frameBytesLeft;
    /** The stream's running payload total before the next record of {@link #frame}. */
    private long cumulative;

    private LogRecord peeked;
    private long peekedCumulative;

    JournalReader(LogIndex index, ReadBuffers buffers, StreamState stream, long position) {
        this.index = index;
        this.buffers = buffers;
        this.stream = stream;
        this.position = position;
    }

    @Override
    public long position() {
        return peeked != null ? peeked.offset() : position;
    }

    /**
     * The next record without consuming it, or empty if every readable record has been read.
     *
     * @throws StreamDeletedException if the stream was deleted
     * @throws LogCorruptException if the data on disk is damaged
     */
    @Override
    public Optional<LogRecord> peek() {
        checkOpen();
        try {
            return Optional.ofNullable(peekRecord());
        } catch (IOException e) {
            throw new UncheckedIOException("reading stream " + stream + " failed", e);
        }
    }

    @Override
    public Optional<LogRecord> next() {
        Optional<LogRecord> record = peek();
        if (record.isPresent()) {
            LogRecord taken = peeked;
            peeked = null;
            position = taken.offset() + 1;
            positionCumulative = peekedCumulative + taken.payload().remaining();
        }
        return record;
    }

    /** Readable records from the position on (an upper bound if damage left gaps). */
    long availableRecords() {
        peek();
        return Math.max(0, index.readable(stream).end() - position());
    }

    /** Payload bytes of the readable records from the position on, counted from the index. */
    @Override
    public long availableBytes() {
        peek();
        long before = peeked != null ? peekedCumulative : positionCumulative;
        return Math.max(0, index.readable(stream).cumulativeBytes() - before);
    }

    @Override
    public OptionalLong firstUnreadArrivalMillis() {
        return peek().map(record -> OptionalLong.of(record.arrivalMillis())).orElse(OptionalLong.empty());
    }

    /** Positions the reader and returns the stream's running payload total at its position. */
    long cumulativeBytesAtPosition() {
        peek();
        return peeked != null ? peekedCumulative : positionCumulative;
    }

    /**
     * Lets go of the reader's file and buffers (a window, and a frame-sized buffer for large frames)
     * while its consumer waits, as a stream waiting out its buffering interval does; with many streams
     * these buffers would otherwise be most of the heap. The position, the running totals and a peeked
     * record are kept; the next read finds its frame again through the index, skipping what was read.
     */
    @Override
    public void releaseBuffers() {
        checkOpen();
        release();
        lastFramePosition = -1;
    }

    @Override
    public void close() {
        closed = true;
        release();
    }

    private LogRecord peekRecord() throws IOException {
        if (peeked != null) {
            return peeked;
        }
        while (true) {
            if (frame != null) {
                if (recordsLeft > 0) {
                    long before = cumulative;
                    long offset = nextRecordOffset;
                    LogRecord record = decodeRecord(offset < position);
                    if (record != null) {
                        peeked = record;
                        peekedCumulative = before;
                        return record;
                    }
                    continue;
                }
                if (frame.hasRemaining() || frameBytesLeft != 0) {
                    throw corrupt("frame records do not add up to its header", null);
                }
                frame = null;
            }
            if (chunkNext < chunkSize) {
                loadFrame(chunk[chunkNext++]);
                continue;
            }
            if (!plan()) {
                return null;
            }
        }
    }

    /** Plans the next run of frames; false if there is nothing to read. */
    private boolean plan() throws IOException {
        while (true) {
            LogIndex.ReadPlan plan = index.plan(stream, position);
            switch (plan) {
                case LogIndex.CaughtUp caughtUp -> {
                    position = Math.max(position, caughtUp.end());
                    positionCumulative = caughtUp.cumulativeBytes();
                    release();
                    return false;
                }
                case LogIndex.Chunk run -> {
                    if (!switchTo(run.segment())) {
                        continue;
                    }
                    position = Math.max(position, run.from());
                    localId = run.localId();
                    window.limit(0);
                    collect(run);
                    return true;
                }
            }
        }
    }

    /** Opens the segment if it is not the current one; false if it was freed meanwhile. */
    private boolean switchTo(Segment target) throws IOException {
        if (window == null) {
            window = buffers.take(WINDOW_SIZE);
        }
        if (target == segment && channel != null) {
            return true;
        }
        closeChannel();
        lastFramePosition = target == segment ? lastFramePosition : -1;
        segment = target;
        try {
            channel = FileChannel.open(target.path(), StandardOpenOption.READ);
            return true;
        } catch (NoSuchFileException e) {
            segment = null;
            if (index.segments().contains(target)) {
                throw corrupt("segment file is missing", e);
            }
            return false;
        }
    }

    /**
     * Fills {@link #chunk} with the frame positions of the run, oldest first, by walking back links
     * from the anchor. Continues after the last frame read if it lies inside the run.
     */
    private void collect(LogIndex.Chunk run) throws IOException {
        boolean resume = lastFramePosition >= run.startPosition() && lastFramePosition < run.anchorPosition();
        int stop = resume ? lastFramePosition : run.startPosition();
        int at = run.anchorIncluded() ? run.anchorPosition() : previousFrame(run.anchorPosition());
        int count = 0;
        while (!(resume && at == stop)) {
            if (at < stop || count == chunk.length) {
                throw corrupt("back links of stream " + stream + " do not lead to frame " + stop, null);
            }
            chunk[count++] = at;
            if (!resume && at == stop) {
                break;
            }
            at = previousFrame(at);
        }
        for (int i = 0; i < count / 2; i++) {
            int swap = chunk[i];
            chunk[i] = chunk[count - 1 - i];
            chunk[count - 1 - i] = swap;
        }
        chunkNext = 0;
        chunkSize = count;
        if (count == 0) {
            throw corrupt("no frame of stream " + stream + " after position " + stop, null);
        }
        if (!resume) {
            cumulative = run.cumulativeBefore();
        }
    }

    /** The position of the stream's batch frame before the one at {@code framePosition}. */
    private int previousFrame(int framePosition) throws IOException {
        ByteBuffer bytes = bytesAt(framePosition, FrameFormat.BATCH_LINK_BYTES, true);
        try {
            bytes.position(bytes.position() + FrameFormat.FRAME_PREFIX_SIZE);
            if (bytes.get() != FrameFormat.TYPE_BATCH || VarInt.getInt(bytes) != localId) {
                throw new BadFrameException("not a batch frame of this stream");
            }
            int back = VarInt.getInt(bytes);
            if (back <= 0 || back > framePosition) {
                throw new BadFrameException("bad back link " + back);
            }
            fill = readSizeFor(back);
            return framePosition - back;
        } catch (BadFrameException e) {
            frameStart = framePosition;
            throw corrupt(e.getMessage(), e);
        }
    }

    private void loadFrame(int framePosition) throws IOException {
        frameStart = framePosition;
        lastFramePosition = framePosition;
        fill = chunkNext < chunkSize ? readSizeFor(chunk[chunkNext] - framePosition) : WINDOW_SIZE;
        try {
            ByteBuffer prefix = bytesAt(framePosition, FrameFormat.FRAME_PREFIX_SIZE, false);
            int length = FrameFormat.checkBodyLength(prefix.getInt());
            int storedCrc = prefix.getInt();
            int headerBytes = Math.min(length, FrameFormat.MAX_BATCH_HEADER);
            ByteBuffer head = bytesAt(framePosition + FrameFormat.FRAME_PREFIX_SIZE, headerBytes, false);
            FrameFormat.BatchHeader parsed = FrameFormat.BatchHeader.parse(head, length);
            if (parsed.localId() != localId) {
                throw new BadFrameException("frame belongs to another stream");
            }
            if (parsed.endOffset() <= position) {
                cumulative += parsed.payloadBytes();
                return;
            }
            ByteBuffer body = bytesAt(framePosition + FrameFormat.FRAME_PREFIX_SIZE, length, false);
            if (FrameFormat.checksum(crc, body) != storedCrc) {
                throw new BadFrameException("frame checksum does not match");
            }
            body.position(body.position() + parsed.headerLength());
            header = parsed;
            frame = body;
            recordsLeft = parsed.recordCount();
            nextRecordOffset = parsed.firstOffset();
            frameBytesLeft = parsed.payloadBytes();
        } catch (BadFrameException e) {
            throw corrupt(e.getMessage(), e);
        }
    }

    /** Decodes the next record of the frame; returns null if {@code skip}. */
    private LogRecord decodeRecord(boolean skip) {
        try {
            int attributes = header.attributes();
            int flags = (attributes & FrameFormat.ATTR_RECORD_FLAGS) != 0
                    ? (frame.hasRemaining() ? frame.get() & 0xFF : -1)
                    : header.batchFlags();
            long arrival = header.minArrivalMillis()
                    + ((attributes & FrameFormat.ATTR_RECORD_ARRIVAL) != 0 ? VarInt.getLong(frame) : 0);
            int length = VarInt.getInt(frame);
            if (flags < 0 || length > frame.remaining() || length > frameBytesLeft) {
                throw new BadFrameException("record runs past its frame");
            }
            long offset = nextRecordOffset++;
            recordsLeft--;
            frameBytesLeft -= length;
            cumulative += length;
            if (skip) {
                frame.position(frame.position() + length);
                return null;
            }
            ByteBuffer payload = frame.slice(frame.position(), length);
            frame.position(frame.position() + length);
            return new LogRecord(offset, arrival, flags, payload);
        } catch (BadFrameException e) {
            throw corrupt(e.getMessage(), e);
        }
    }

    /**
     * {@code length} bytes of the segment at {@code filePosition}, through the window when they fit
     * (reading ahead, or behind when walking back links), else in a buffer of their own.
     */
    private ByteBuffer bytesAt(long filePosition, int length, boolean backwards) throws IOException {
        if (filePosition >= windowStart && filePosition + length <= windowStart + window.limit()) {
            return window.slice((int) (filePosition - windowStart), length);
        }
        if (length > window.capacity()) {
            if (large == null || large.capacity() < length) {
                if (large != null) {
                    buffers.giveBack(large);
                }
                large = buffers.take(length);
            }
            large.clear().limit(length);
            if (readAtMost(large, filePosition) < length) {
                throw corrupt("segment ends inside a frame", null);
            }
            return large.flip();
        }
        int size = Math.max(fill, length);
        long start = backwards ? Math.max(0, filePosition + length - size) : filePosition;
        window.clear().limit(size);
        int read = readAtMost(window, start);
        window.flip();
        windowStart = start;
        if (filePosition + length > start + read) {
            window.limit(0);
            throw corrupt("segment ends inside a frame", null);
        }
        return window.slice((int) (filePosition - start), length);
    }

    /** The window fill for frames {@code distance} bytes apart. */
    private static int readSizeFor(long distance) {
        return distance > WINDOW_SIZE / 4 ? SPARSE_READ : WINDOW_SIZE;
    }

    private int readAtMost(ByteBuffer target, long filePosition) throws IOException {
        int total = 0;
        while (target.hasRemaining()) {
            int read = channel.read(target, filePosition + total);
            if (read < 0) {
                break;
            }
            total += read;
        }
        return total;
    }

    private LogCorruptException corrupt(String problem, Throwable cause) {
        return new LogCorruptException(
                "Stream " + stream + ": damaged data in " + segment + " at position " + frameStart + ": " + problem,
                cause);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
    }

    private void release() {
        closeChannel();
        if (window != null) {
            buffers.giveBack(window);
            window = null;
        }
        if (large != null) {
            buffers.giveBack(large);
            large = null;
        }
        frame = null;
        header = null;
        chunkNext = 0;
        chunkSize = 0;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a read-only channel loses nothing.
            }
            channel = null;
        }
    }
}
