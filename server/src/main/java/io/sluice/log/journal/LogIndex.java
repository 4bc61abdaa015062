package io.sluice.log.journal;

import io.sluice.log.LogClosedException;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamOffsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory picture of the log: streams, tombstones, segments and the sparse per-stream indexes.
 * Rebuilt from the segment files and the checkpoint at every open; never persisted itself.
 *
 * <p>Thread-safety: one lock guards everything here; critical sections are short and do no I/O.
 */
final class LogIndex {
    private final Path directory;
    private final ReentrantLock lock = new ReentrantLock();

    private final Map<StreamKey, StreamState> streams = new HashMap<>();
    private final Map<StreamKey, Checkpoint.Tombstone> tombstones = new HashMap<>();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private long nextSegmentSequence;
    private long version;
    private boolean closed;

    LogIndex(Path directory) {
        this.directory = directory;
    }

    /** Something readers plan from: a run of frames of one stream in one segment, or nothing to read. */
    sealed interface ReadPlan permits Chunk, CaughtUp {}

    /**
     * The frames of a stream from the entry at {@code startPosition} to {@code anchorPosition}
     * (included or not) in one segment.
     *
     * @param from the reader skips records below this offset
     * @param cumulativeBefore the stream's payload bytes before the frame at {@code startPosition}
     */
    record Chunk(
            Segment segment,
            int localId,
            long from,
            int startPosition,
            long cumulativeBefore,
            int anchorPosition,
            boolean anchorIncluded)
            implements ReadPlan {}

    /** Everything before {@code end} has been read; {@code cumulativeBytes} is the running total there. */
    record CaughtUp(long end, long cumulativeBytes) implements ReadPlan {}

    /** What is readable of a stream right now. */
    record Readable(long end, long cumulativeBytes) {}

    /** Undelivered data of one stream in an expiring segment. */
    record Expiring(StreamSegment part, long from) {}

    // ---- streams

    /** The live stream, created if new. */
    StreamState stream(StreamKey key) {
        lock.lock();
        try {
            checkOpen();
            if (tombstones.containsKey(key)) {
                throw new StreamDeletedException(key);
            }
            return streams.computeIfAbsent(key, StreamState::new);
        } finally {
            lock.unlock();
        }
    }

    /** The live stream if it exists. */
    StreamState existing(StreamKey key) {
        lock.lock();
        try {
            checkOpen();
            if (tombstones.containsKey(key)) {
                throw new StreamDeletedException(key);
            }
            return streams.get(key);
        } finally {
            lock.unlock();
        }
    }

    StreamOffsets offsets(StreamState stream) {
        lock.lock();
        try {
            return stream.offsets();
        } finally {
            lock.unlock();
        }
    }

    Readable readable(StreamState stream) {
        lock.lock();
        try {
            checkLive(stream);
            return new Readable(stream.end(), stream.cumulativeBytes());
        } finally {
            lock.unlock();
        }
    }

    /** Moves the committed offset forward; returns whether it moved. */
    boolean commit(StreamState stream, long offset) {
        lock.lock();
        try {
            checkOpen();
            checkLive(stream);
            if (offset > stream.end()) {
                throw new IllegalArgumentException("cannot commit offset " + offset + " of stream " + stream
                        + ": only offsets up to " + stream.end() + " exist");
            }
            if (offset <= stream.committed()) {
                return false;
            }
            stream.committed(offset);
            version++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The segments of the stream whose data in them is all committed or dropped. */
    List<Segment> segmentsOf(StreamState stream) {
        lock.lock();
        try {
            List<Segment> released = new ArrayList<>();
            for (StreamSegment part : stream.segments()) {
                if (part.endOffset() > stream.released()) {
                    break;
                }
                released.add(part.segment());
            }
            return released;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a stream: its data stops holding segments, appends and readers fail. Returns the
     * segments that held its data (candidates for freeing).
     */
    List<Segment> delete(StreamKey key) {
        lock.lock();
        try {
            checkOpen();
            if (tombstones.containsKey(key)) {
                return List.of();
            }
            tombstones.put(key, new Checkpoint.Tombstone(key, nextSegmentSequence));
            version++;
            StreamState stream = streams.remove(key);
            if (stream == null) {
                return List.of();
            }
            stream.markDeleted();
            List<Segment> held = new ArrayList<>();
            for (StreamSegment part : stream.segments()) {
                part.segment().liveStreams().remove(stream);
                held.add(part.segment());
            }
            stream.segments().clear();
            return held;
        } finally {
            lock.unlock();
        }
    }

    // ---- writer

    /** Registers a new segment for the writer; its file is created by the caller. */
    Segment newSegment() {
        lock.lock();
        try {
            checkOpen();
            long sequence = nextSegmentSequence++;
            Segment segment = new Segment(
                    sequence,
                    directory.resolve(FrameFormat.segmentFileName(sequence)),
                    FrameFormat.SEGMENT_HEADER_SIZE);
            segments.put(sequence, segment);
            version++;
            return segment;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a segment the writer failed to create or fill; nothing in it was published. */
    void unregister(Segment segment) {
        lock.lock();
        try {
            segments.remove(segment.sequence());
        } finally {
            lock.unlock();
        }
    }

    /** A batch frame the writer has made durable (or written, under the interval policy). */
    record WrittenFrame(
            PendingAppend append, Segment segment, int localId, int position, long firstOffset, long newestArrival) {}

    /**
     * Makes written frames readable, in order, then seals segments the writer has left: only now may
     * freeing consider them, since before this they held frames nobody could see yet.
     */
    void publish(List<WrittenFrame> frames, List<Segment> sealed) {
        lock.lock();
        try {
            for (Segment segment : sealed) {
                segment.seal();
            }
            for (WrittenFrame frame : frames) {
                frame.segment().arrived(frame.newestArrival());
                StreamState stream = frame.append().stream();
                if (stream.deleted()) {
                    continue;
                }
                addFrame(
                        stream,
                        frame.segment(),
                        frame.localId(),
                        frame.position(),
                        frame.firstOffset(),
                        frame.append().records().size(),
                        frame.append().payloadBytes());
            }
        } finally {
            lock.unlock();
        }
    }

    private static void addFrame(
            StreamState stream,
            Segment segment,
            int localId,
            int position,
            long firstOffset,
            int recordCount,
            long payloadBytes) {
        List<StreamSegment> parts = stream.segments();
        StreamSegment part = parts.isEmpty() ? null : parts.get(parts.size() - 1);
        if (part == null || part.segment() != segment) {
            part = new StreamSegment(stream, segment, localId);
            parts.add(part);
            segment.liveStreams().put(stream, part);
        }
        part.addFrame(position, firstOffset, recordCount, payloadBytes, stream.cumulativeBytes());
        stream.published(firstOffset + recordCount, payloadBytes);
    }

    // ---- recovery

    /** Recovery: the stream a segment's definition names, or null if that key was deleted. */
    StreamState recoveredStream(StreamKey key) {
        lock.lock();
        try {
            if (tombstones.containsKey(key)) {
                return null;
            }
            return streams.computeIfAbsent(key, StreamState::new);
        } finally {
            lock.unlock();
        }
    }

    void recoveredSegment(Segment segment) {
        lock.lock();
        try {
            segment.seal();
            segments.put(segment.sequence(), segment);
            nextSegmentSequence = Math.max(nextSegmentSequence, segment.sequence() + 1);
        } finally {
            lock.unlock();
        }
    }

    /** Recovery: a batch frame found in a segment; the caller checked it against the stream's state. */
    void recoveredFrame(
            StreamState stream, Segment segment, int localId, int position, FrameFormat.BatchHeader header) {
        lock.lock();
        try {
            segment.arrived(header.maxArrivalMillis());
            addFrame(
                    stream,
                    segment,
                    localId,
                    position,
                    header.firstOffset(),
                    header.recordCount(),
                    header.payloadBytes());
        } finally {
            lock.unlock();
        }
    }

    void recoveredArrival(Segment segment, long arrivalMillis) {
        lock.lock();
        try {
            segment.arrived(arrivalMillis);
        } finally {
            lock.unlock();
        }
    }

    void restoreTombstones(Collection<Checkpoint.Tombstone> deleted) {
        lock.lock();
        try {
            for (Checkpoint.Tombstone tombstone : deleted) {
                tombstones.put(tombstone.key(), tombstone);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Recovery, last step: applies the checkpoint's offsets to every stream. */
    void restoreOffsets(Checkpoint checkpoint) {
        lock.lock();
        try {
            nextSegmentSequence = Math.max(nextSegmentSequence, checkpoint.nextSegmentSequence());
            Map<StreamKey, Checkpoint.Entry> saved = new HashMap<>();
            for (Checkpoint.Entry entry : checkpoint.streams()) {
                if (!tombstones.containsKey(entry.key())) {
                    saved.put(entry.key(), entry);
                    streams.computeIfAbsent(entry.key(), StreamState::new);
                }
            }
            for (StreamState stream : streams.values()) {
                Checkpoint.Entry entry = saved.get(stream.key());
                stream.restore(entry == null ? 0 : entry.start(), entry == null ? 0 : entry.committed());
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- readers

    ReadPlan plan(StreamState stream, long position) {
        lock.lock();
        try {
            checkOpen();
            checkLive(stream);
            long from = Math.max(position, stream.start());
            if (from >= stream.end()) {
                return new CaughtUp(stream.end(), stream.cumulativeBytes());
            }
            List<StreamSegment> parts = stream.segments();
            int low = 0;
            int high = parts.size() - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (parts.get(middle).endOffset() > from) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            if (parts.isEmpty() || parts.get(low).endOffset() <= from) {
                return new CaughtUp(stream.end(), stream.cumulativeBytes());
            }
            StreamSegment part = parts.get(low);
            int entry = part.entryAtOrBefore(from);
            boolean last = entry + 1 == part.entryCount();
            return new Chunk(
                    part.segment(),
                    part.localId(),
                    from,
                    part.entryPosition(entry),
                    part.entryCumulativeBytes(entry),
                    last ? part.lastFramePosition() : part.entryPosition(entry + 1),
                    last);
        } finally {
            lock.unlock();
        }
    }

    // ---- freeing space

    /**
     * Removes and returns the sealed segments among {@code candidates} (all segments when null) that
     * no live stream needs: every stream with data there has committed past it or dropped it.
     */
    List<Segment> removeFreeSegments(Collection<Segment> candidates) {
        lock.lock();
        try {
            Collection<Segment> checked = candidates == null ? List.copyOf(segments.values()) : candidates;
            List<Segment> free = new ArrayList<>();
            for (Segment segment : new LinkedHashSet<>(checked)) {
                if (segments.get(segment.sequence()) == segment && segment.sealed() && isFree(segment)) {
                    remove(segment);
                    free.add(segment);
                }
            }
            return free;
        } finally {
            lock.unlock();
        }
    }

    private static boolean isFree(Segment segment) {
        for (StreamSegment part : segment.liveStreams().values()) {
            if (part.endOffset() > part.stream().released()) {
                return false;
            }
        }
        return true;
    }

    private void remove(Segment segment) {
        segments.remove(segment.sequence());
        for (StreamSegment part : segment.liveStreams().values()) {
            part.stream().segments().remove(part);
        }
        segment.liveStreams().clear();
        dropObsoleteTombstonesLocked();
    }

    /** The active (unsealed) segment if its newest data arrived before {@code cutoffMillis}. */
    Segment expiredActiveSegment(long cutoffMillis) {
        lock.lock();
        try {
            for (Segment segment : segments.values()) {
                if (!segment.sealed()
                        && segment.newestArrivalMillis() != Long.MIN_VALUE
                        && segment.newestArrivalMillis() < cutoffMillis) {
                    return segment;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The oldest sealed segments whose newest data arrived before {@code cutoffMillis}, each with the
     * undelivered parts it holds. Segments expire in order: the first one too new stops the run.
     */
    Map<Segment, List<Expiring>> expiringSegments(long cutoffMillis) {
        lock.lock();
        try {
            Map<Segment, List<Expiring>> expiring = new java.util.LinkedHashMap<>();
            for (Segment segment : segments.values()) {
                if (!segment.sealed() || segment.newestArrivalMillis() >= cutoffMillis) {
                    break;
                }
                List<Expiring> parts = new ArrayList<>();
                for (StreamSegment part : segment.liveStreams().values()) {
                    long from = Math.max(part.firstOffset(), part.stream().released());
                    if (from < part.endOffset()) {
                        parts.add(new Expiring(part, from));
                    }
                }
                expiring.put(segment, parts);
            }
            return expiring;
        } finally {
            lock.unlock();
        }
    }

    /** Drops expired segments: streams' start offsets move past them and the segments are removed. */
    void expire(Set<Segment> expired) {
        lock.lock();
        try {
            for (Segment segment : expired) {
                if (segments.get(segment.sequence()) != segment) {
                    continue;
                }
                for (StreamSegment part : segment.liveStreams().values()) {
                    StreamState stream = part.stream();
                    if (part.endOffset() > stream.start()) {
                        stream.start(part.endOffset());
                        version++;
                    }
                }
                remove(segment);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- checkpoint

    /** A consistent copy of what the checkpoint file holds, and the state version it reflects. */
    record Snapshot(Checkpoint checkpoint, long version) {}

    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    Snapshot snapshot() {
        lock.lock();
        try {
            List<Checkpoint.Entry> entries = new ArrayList<>();
            for (StreamState stream : streams.values()) {
                if (stream.start() > 0 || stream.committed() > 0 || stream.end() > 0) {
                    entries.add(new Checkpoint.Entry(stream.key(), stream.start(), stream.committed()));
                }
            }
            return new Snapshot(
                    new Checkpoint(nextSegmentSequence, entries, List.copyOf(tombstones.values())), version);
        } finally {
            lock.unlock();
        }
    }

    // ---- status

    List<Segment> segments() {
        lock.lock();
        try {
            return List.copyOf(segments.values());
        } finally {
            lock.unlock();
        }
    }

    int streamCount() {
        lock.lock();
        try {
            return streams.size();
        } finally {
            lock.unlock();
        }
    }

    /** Heap bytes held by the sparse indexes (entries and per-segment parts), approximately. */
    long indexBytes() {
        lock.lock();
        try {
            long bytes = 0;
            for (StreamState stream : streams.values()) {
                for (StreamSegment part : stream.segments()) {
                    bytes += part.indexBytes();
                }
            }
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LogClosedException();
        }
    }

    private static void checkLive(StreamState stream) {
        if (stream.deleted()) {
            throw new StreamDeletedException(stream.key());
        }
    }

    /** Removes tombstones whose data is gone; used after recovery. */
    void dropObsoleteTombstones() {
        lock.lock();
        try {
            dropObsoleteTombstonesLocked();
        } finally {
            lock.unlock();
        }
    }

    private void dropObsoleteTombstonesLocked() {
        long oldest = segments.isEmpty() ? Long.MAX_VALUE : segments.firstKey();
        if (tombstones.values().removeIf(tombstone -> tombstone.segmentsBefore() <= oldest)) {
            version++;
        }
    }
}
