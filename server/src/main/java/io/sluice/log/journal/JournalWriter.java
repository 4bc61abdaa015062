package io.sluice.log.journal;

import io.sluice.common.AtomicFiles;
import io.sluice.log.AppendResult;
import io.sluice.log.LogClosedException;
import io.sluice.log.LogFullException;
import io.sluice.log.LogWriteException;
import io.sluice.log.StreamDeletedException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The one thread that writes the journal, with group commit: it takes every append queued so far
 * (across all streams), assigns offsets, encodes one frame per append into a direct buffer, writes,
 * forces once for the whole group and only then publishes the frames to readers and completes the
 * appends. Under {@link FsyncPolicy.Interval} it completes after the write and forces on a timer.
 *
 * <p>Failure: if a write or force throws (a full disk, an I/O error), every append of the group
 * fails with {@link LogWriteException}, offsets assigned in the group are handed out again, segments
 * created in the group are deleted and the segment the group started in is truncated back to where
 * it was and sealed; the next group starts a fresh segment. Nothing of a failed group is ever
 * published or acknowledged. If even the truncation fails, the writer retries it before every later
 * group and fails those groups until it succeeds.
 *
 * <p>Thread-safety: {@link #submit}, {@link #seal} and {@link #close} may be called from any thread;
 * everything else runs on the writer thread.
 */
final class JournalWriter {
    private static final System.Logger LOG = System.getLogger(JournalWriter.class.getName());
    private static final int BUFFER_SIZE = 4 * 1024 * 1024;
    private static final Set<StandardOpenOption> CREATE =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    private static final Set<StandardOpenOption> REWRITE = Set.of(StandardOpenOption.WRITE);

    private final Path directory;
    private final long segmentSize;
    private final long maxLogBytes;
    private final FsyncPolicy fsyncPolicy;
    private final FileChannelOpener opener;
    private final LogIndex index;
    private final LogListener listener;
    private final AtomicLong diskBytes;
    private final Thread thread;

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queueSignal = queueLock.newCondition();
    // Guarded by queueLock.
    private List<Task> queue = new ArrayList<>();
    private long queuedBytes;
    private boolean closing;

    // Writer thread only.
    private Segment active;
    private FileChannel channel;
    private final Map<StreamState, Slot> slots = new HashMap<>();
    /** Holds the bytes for file positions from {@link #bufferFilePosition} on; the file ends there. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);

    private long bufferFilePosition;
    private final CRC32C crc = new CRC32C();
    private boolean dirty;
    private long lastForceNanos = System.nanoTime();
    /** Files a failed group left behind: truncate to the length, or delete when the length is -1. */
    private final Map<Segment, Long> repairs = new LinkedHashMap<>();

    private final AtomicLong appendedBatches = new AtomicLong();
    private final AtomicLong appendedRecords = new AtomicLong();
    private final AtomicLong groups = new AtomicLong();
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong failedGroups = new AtomicLong();
    /**
     * Groups failed since a group last succeeded (writer thread only): only the first of a run is
     * logged above DEBUG (unless its partial writes stay behind), so a full disk under retrying
     * producers does not flood the log.
     */
    private long failedInARow;

    /** A stream defined in the active segment. */
    private static final class Slot {
        private final int localId;
        private int lastFramePosition = -1;

        Slot(int localId) {
            this.localId = localId;
        }
    }

    /** What the writer's queue holds. */
    sealed interface Task permits PendingAppend, SealRequest {}

    /** Asks the writer to seal its active segment (retention wants to drop it). */
    record SealRequest(CompletableFuture<Void> done) implements Task {}

    JournalWriter(
            LogConfig config, FileChannelOpener opener, LogIndex index, LogListener listener, AtomicLong diskBytes) {
        this.directory = config.directory();
        this.segmentSize = config.segmentSize().bytes();
        this.maxLogBytes = config.maxLogSize().bytes();
        this.fsyncPolicy = config.fsyncPolicy();
        this.opener = opener;
        this.index = index;
        this.listener = listener;
        this.diskBytes = diskBytes;
        this.thread = Thread.ofPlatform().name("sluice-log-writer").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues an append. Fails at once, without queueing, if the log is closed or the append would
     * clearly exceed the disk budget.
     */
    void submit(PendingAppend append) {
        long bound = bound(append);
        queueLock.lock();
        try {
            if (closing) {
                throw new LogClosedException();
            }
            if (diskBytes.get() + queuedBytes + bound > maxLogBytes) {
                throw full(append);
            }
            queue.add(append);
            queuedBytes += bound;
            queueSignal.signal();
        } finally {
            queueLock.unlock();
        }
    }

    /** Seals the active segment; returns once done. */
    void seal() throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queueLock.lock();
        try {
            if (closing) {
                return;
            }
            queue.add(new SealRequest(done));
            queueSignal.signal();
        } finally {
            queueLock.unlock();
        }
        try {
            done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("sealing failed", e.getCause());
        }
    }

    /** Stops taking appends, writes and forces what is queued, closes the active segment. */
    void close() throws InterruptedException {
        queueLock.lock();
        try {
            closing = true;
            queueSignal.signal();
        } finally {
            queueLock.unlock();
        }
        thread.join();
    }

    LogStats stats(long disk, int segments) {
        return new LogStats(
                appendedBatches.get(),
                appendedRecords.get(),
                groups.get(),
                fsyncs.get(),
                bytesWritten.get(),
                disk,
                segments,
                failedGroups.get());
    }

    private void run() {
        while (true) {
            List<Task> group = takeGroup();
            if (group == null) {
                break;
            }
            if (!group.isEmpty()) {
                process(group);
            }
            forceIfDue();
        }
        finishActive();
    }

    /** The queued items, or an empty list when a timed force is due, or null when closed and drained. */
    private List<Task> takeGroup() {
        queueLock.lock();
        try {
            while (queue.isEmpty()) {
                if (closing) {
                    return null;
                }
                long wait = nanosUntilForce();
                if (wait == 0) {
                    return List.of();
                }
                try {
                    if (wait < 0) {
                        queueSignal.await();
                    } else {
                        queueSignal.awaitNanos(wait);
                    }
                } catch (InterruptedException e) {
                    // Nobody interrupts this thread; if something does, keep serving: the queue decides.
                    Thread.interrupted();
                }
            }
            List<Task> group = queue;
            queue = new ArrayList<>();
            queuedBytes = 0;
            return group;
        } finally {
            queueLock.unlock();
        }
    }

    /** Nanoseconds until the interval policy's next force; 0 if due now, negative if none pending. */
    private long nanosUntilForce() {
        if (!(fsyncPolicy instanceof FsyncPolicy.Interval interval) || !dirty) {
            return -1;
        }
        long due = lastForceNanos + interval.interval().toNanos() - System.nanoTime();
        return Math.max(0, due);
    }

    private void process(List<Task> group) {
        List<PendingAppend> appends = new ArrayList<>(group.size());
        List<SealRequest> seals = new ArrayList<>();
        for (Task task : group) {
            switch (task) {
                case PendingAppend append -> appends.add(append);
                case SealRequest seal -> seals.add(seal);
            }
        }
        if (!appends.isEmpty()) {
            writeGroup(appends);
        }
        for (SealRequest seal : seals) {
            finishActive();
            seal.done().complete(null);
        }
    }

    private void writeGroup(List<PendingAppend> appends) {
        Segment groupStart = active;
        long groupStartLength = end();
        List<Segment> created = new ArrayList<>();
        List<Segment> rolled = new ArrayList<>();
        List<LogIndex.WrittenFrame> frames = new ArrayList<>(appends.size());
        Map<StreamState, Long> firstAssigned = new HashMap<>();
        long writtenBefore = bytesWritten.get();
        long groupBytes = 0;
        Duration fsync = Duration.ZERO;
        try {
            if (!repairs.isEmpty()) {
                repair();
            }
            for (PendingAppend append : appends) {
                StreamState stream = append.stream();
                int need = append.maxFrameSize() + FrameFormat.streamFrameSize(Integer.MAX_VALUE, stream.keyUtf8());
                boolean roll =
                        active == null || (end() > FrameFormat.SEGMENT_HEADER_SIZE && end() + need > segmentSize);
                long extra = need + (roll ? FrameFormat.SEGMENT_HEADER_SIZE : 0);
                if (diskBytes.get() + groupBytes + extra > maxLogBytes) {
                    append.result().completeExceptionally(full(append));
                    continue;
                }
                if (roll) {
                    if (active != null) {
                        rolled.add(active);
                    }
                    roll(created);
                    groupBytes += FrameFormat.SEGMENT_HEADER_SIZE;
                }
                if (stream.deleted()) {
                    append.result().completeExceptionally(new StreamDeletedException(stream.key()));
                    continue;
                }
                if (buffer.remaining() < need) {
                    flush();
                    if (buffer.capacity() < need) {
                        buffer = ByteBuffer.allocateDirect(need);
                    }
                }
                int before = buffer.position();
                Slot slot = slots.get(stream);
                if (slot == null) {
                    slot = new Slot(slots.size());
                    slots.put(stream, slot);
                    FrameFormat.putStreamFrame(buffer, crc, slot.localId, stream.keyUtf8());
                }
                int position = (int) (bufferFilePosition + buffer.position());
                int back = slot.lastFramePosition < 0 ? 0 : position - slot.lastFramePosition;
                long firstOffset = stream.writerNext();
                firstAssigned.putIfAbsent(stream, firstOffset);
                FrameFormat.putBatchFrame(buffer, crc, append, slot.localId, back, firstOffset);
                slot.lastFramePosition = position;
                stream.writerNext(firstOffset + append.records().size());
                groupBytes += buffer.position() - before;
                frames.add(new LogIndex.WrittenFrame(
                        append,
                        active,
                        slot.localId,
                        position,
                        firstOffset,
                        append.minArrivalMillis() + append.arrivalSpanMillis()));
            }
            flush();
            if (fsyncPolicy instanceof FsyncPolicy.Always && dirty) {
                long started = System.nanoTime();
                force();
                fsync = Duration.ofNanos(System.nanoTime() - started);
            }
        } catch (IOException | RuntimeException | Error e) {
            // Whatever went wrong, the writer must live on: a dead writer would hang every append.
            rollBack(e, appends, groupStart, groupStartLength, created, firstAssigned);
            return;
        }
        // The group is durable: from here on nothing may undo it.
        if (failedInARow > 0) {
            LOG.log(Level.INFO, "Writing to the record log succeeds again, after {0} failed groups", failedInARow);
            failedInARow = 0;
        }
        diskBytes.addAndGet(groupBytes);
        index.publish(frames, rolled);
        groups.incrementAndGet();
        long records = 0;
        for (LogIndex.WrittenFrame frame : frames) {
            records += frame.append().records().size();
        }
        // Counted before any append completes, so stats read after an acknowledgement include it.
        appendedBatches.addAndGet(frames.size());
        appendedRecords.addAndGet(records);
        for (LogIndex.WrittenFrame frame : frames) {
            PendingAppend append = frame.append();
            append.result()
                    .complete(new AppendResult(
                            frame.firstOffset(), append.records().size()));
        }
        try {
            listener.groupWritten(frames.size(), bytesWritten.get() - writtenBefore, fsync);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The log listener failed on a written group: {0}", e.toString());
        }
    }

    /** Seals the active segment and starts a new one, whose header goes into the buffer. */
    private void roll(List<Segment> created) throws IOException {
        if (active != null) {
            flush();
            force();
            channel.close();
            channel = null;
        }
        active = null;
        slots.clear();
        Segment segment = index.newSegment();
        created.add(segment);
        channel = opener.open(segment.path(), CREATE);
        active = segment;
        buffer.clear();
        bufferFilePosition = 0;
        FrameFormat.putSegmentHeader(buffer, segment.sequence());
        dirty = true;
        AtomicFiles.forceDirectory(directory);
    }

    /** File position after everything written or buffered for the active segment. */
    private long end() {
        return bufferFilePosition + buffer.position();
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            int count = channel.write(buffer, bufferFilePosition + buffer.position());
            bytesWritten.addAndGet(count);
        }
        bufferFilePosition += buffer.limit();
        active.fileSize(bufferFilePosition);
        buffer.clear();
        dirty = true;
    }

    private void force() throws IOException {
        channel.force(false);
        fsyncs.incrementAndGet();
        dirty = false;
        lastForceNanos = System.nanoTime();
    }

    private void rollBack(
            Throwable cause,
            List<PendingAppend> appends,
            Segment groupStart,
            long groupStartLength,
            List<Segment> created,
            Map<StreamState, Long> firstAssigned) {
        failedGroups.incrementAndGet();
        firstAssigned.forEach(StreamState::writerNext);
        closeQuietly(channel);
        channel = null;
        active = null;
        slots.clear();
        buffer.clear();
        bufferFilePosition = 0;
        dirty = false;
        for (Segment segment : created) {
            index.unregister(segment);
            repairs.put(segment, -1L);
        }
        if (groupStart != null) {
            repairs.put(groupStart, groupStartLength);
            index.publish(List.of(), List.of(groupStart));
        }
        try {
            repair();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        failedInARow++;
        LOG.log(
                !repairs.isEmpty() ? Level.ERROR : failedInARow > 1 ? Level.DEBUG : Level.WARNING,
                "Appending {0} batches to the record log failed and was rolled back{1}: {2} (further failures are"
                        + " logged at DEBUG until a write succeeds)",
                appends.size(),
                repairs.isEmpty()
                        ? ""
                        : ", but its partial writes could not be removed yet; appends fail until they are",
                cause.toString());
        LogWriteException failure =
                new LogWriteException("Could not write to the record log: " + cause.getMessage(), cause);
        for (PendingAppend append : appends) {
            append.result().completeExceptionally(failure);
        }
    }

    /**
     * Removes what failed groups wrote: deletes the segments they created and truncates the one they
     * started in. Until this succeeds no group is written, so no offset handed out again can meet a
     * leftover frame that already carries it.
     */
    private void repair() throws IOException {
        boolean deleted = false;
        var iterator = repairs.entrySet().iterator();
        while (iterator.hasNext()) {
            var repair = iterator.next();
            Segment segment = repair.getKey();
            long length = repair.getValue();
            if (length < 0) {
                deleted |= Files.deleteIfExists(segment.path());
            } else if (Files.exists(segment.path())) {
                try (FileChannel file = opener.open(segment.path(), REWRITE)) {
                    file.truncate(length);
                    file.force(false);
                }
                segment.fileSize(length);
            }
            iterator.remove();
        }
        if (deleted) {
            AtomicFiles.forceDirectory(directory);
        }
    }

    /** Under the interval policy, forces the active segment when the interval has passed. */
    private void forceIfDue() {
        if (channel == null || nanosUntilForce() != 0) {
            return;
        }
        try {
            force();
        } catch (IOException e) {
            LOG.log(
                    Level.ERROR,
                    "Forcing segment {0} to disk failed; acknowledged appends since the last force may be lost if the"
                            + " machine crashes: {1}",
                    active,
                    e.toString());
            finishActive();
        }
    }

    /** Forces and closes the active segment and seals it; the next append starts a new one. */
    private void finishActive() {
        if (active == null) {
            return;
        }
        Segment segment = active;
        try {
            if (dirty) {
                force();
            }
        } catch (IOException e) {
            LOG.log(Level.ERROR, "Forcing segment {0} to disk failed while sealing it: {1}", segment, e.toString());
        }
        closeQuietly(channel);
        channel = null;
        active = null;
        slots.clear();
        dirty = false;
        index.publish(List.of(), List.of(segment));
    }

    private static void closeQuietly(FileChannel file) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Closing a segment file failed: {0}", e.toString());
        }
    }

    private static long bound(PendingAppend append) {
        return (long) append.maxFrameSize()
                + FrameFormat.streamFrameSize(Integer.MAX_VALUE, append.stream().keyUtf8())
                + FrameFormat.SEGMENT_HEADER_SIZE;
    }

    private LogFullException full(PendingAppend append) {
        return new LogFullException("The record log is full (" + diskBytes.get() + " of " + maxLogBytes
                + " bytes used); the append of " + append.payloadBytes() + " bytes to stream " + append.stream()
                + " was refused.");
    }
}
