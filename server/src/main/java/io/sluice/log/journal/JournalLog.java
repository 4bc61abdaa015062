package io.sluice.log.journal;

import static java.util.Objects.requireNonNull;

import io.sluice.common.AtomicFiles;
import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import io.sluice.log.LogClosedException;
import io.sluice.log.LogException;
import io.sluice.log.LogFullException;
import io.sluice.log.LogWriteException;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamOffsets;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local journal, the {@link RecordLog} of one node: a shared journal of segment files that every
 * stream appends to, per-stream offsets, readers, committed offsets and retention. See {@code
 * package-info.java} for the file layout and the recovery rules.
 *
 * <p>Contract, beyond the port's:
 *
 * <ul>
 *   <li>{@link #append} returns once the batch is durable under the {@link FsyncPolicy} (by default:
 *       forced to disk), with the offsets its records got: per stream, dense, increasing, in the
 *       order appends reached the writer. Concurrent appends of all streams share one write and one
 *       fsync (group commit). A failed append ({@link LogException}) wrote nothing that will ever be
 *       read.
 *   <li>After a crash, recovery keeps every acknowledged batch exactly once and drops the torn tail.
 *   <li>Readers see only completed appends, in offset order, streamed from disk.
 *   <li>{@link #commit} durably records delivery; a segment file is deleted once every stream with
 *       data in it has committed past that data, or once its newest data is older than the retention
 *       (the undelivered part counted per stream, logged and passed to {@link LogListener#expired}).
 *   <li>Appends past the disk budget fail fast with {@link LogFullException}; a failing disk fails the
 *       appends it touched with {@link LogWriteException} and leaves the log intact.
 * </ul>
 *
 * <p>Thread-safety: every method may be called from any thread (virtual threads welcome; blocking
 * waits use {@code java.util.concurrent} locks). Readers are single-threaded each.
 */
public final class JournalLog implements RecordLog {
    private static final System.Logger LOG = System.getLogger(JournalLog.class.getName());
    private static final Duration RETENTION_CHECK_PERIOD = Duration.ofSeconds(10);
    private static final String LOCK_FILE = ".lock";
    /**
     * Bytes of readers' buffers kept between reads: the windows of a few dozen streams, or a few large
     * frames (direct memory, which the default settings cap at 128 MiB).
     */
    private static final long READ_BUFFERS_KEPT = 16L * 1024 * 1024;

    private final LogConfig config;
    private final Clock clock;
    private final LogListener listener;
    private final LogIndex index;
    private final ReadBuffers readBuffers = new ReadBuffers(READ_BUFFERS_KEPT);
    private final JournalWriter writer;
    private final AtomicLong diskBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path checkpointFile;
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private long persistedVersion;
    private final ReentrantLock maintenanceLock = new ReentrantLock();
    private final ScheduledExecutorService retentionTimer;
    private final SegmentReclaimer reclaimer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JournalLog(
            LogConfig config,
            Clock clock,
            LogListener listener,
            FileChannelOpener opener,
            LogIndex index,
            long persistedVersion,
            FileChannel lockChannel,
            FileLock lock) {
        this.config = config;
        this.clock = clock;
        this.listener = listener;
        this.index = index;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.persistedVersion = persistedVersion;
        this.checkpointFile = config.directory().resolve(Checkpoint.FILE_NAME);
        long disk = 0;
        for (Segment segment : index.segments()) {
            disk += segment.fileSize();
        }
        this.diskBytes = new AtomicLong(disk);
        this.writer = new JournalWriter(config, opener, index, listener, diskBytes);
        this.retentionTimer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-log-retention").daemon(true).factory());
        this.reclaimer = new SegmentReclaimer(config.directory(), SegmentReclaimer.STEP, SegmentReclaimer.PAUSE);
    }

    /**
     * Opens (creating or recovering) the log in {@code config.directory()}.
     *
     * @throws IOException if the directory cannot be used or another process has the log open
     */
    public static JournalLog open(LogConfig config, Clock clock, LogListener listener) throws IOException {
        return open(config, clock, listener, FileChannelOpener.DEFAULT);
    }

    /**
     * Opens the log, appending through channels from {@code opener} (for fault injection; production
     * uses {@link FileChannelOpener#DEFAULT}).
     *
     * @throws IOException if the directory cannot be used or another process has the log open
     */
    public static JournalLog open(LogConfig config, Clock clock, LogListener listener, FileChannelOpener opener)
            throws IOException {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(listener, "listener is null");
        requireNonNull(opener, "opener is null");
        Path directory = config.directory();
        Files.createDirectories(directory);
        FileChannel lockChannel =
                FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("record log " + directory + " is already open");
        }
        try {
            Checkpoint checkpoint = readCheckpoint(directory);
            LogIndex index = new LogIndex(directory);
            Recovery.run(directory, checkpoint, index);
            JournalLog log = new JournalLog(config, clock, listener, opener, index, index.version(), lockChannel, lock);
            log.persistCheckpoint();
            log.reclaimer.start();
            log.writer.start();
            log.retentionTimer.scheduleWithFixedDelay(
                    log::retentionTick, 0, RETENTION_CHECK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            return log;
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /** How the journal stores data. */
    public LogConfig config() {
        return config;
    }

    /**
     * Queues a batch; the future completes when it is durable, or exceptionally with a {@link
     * LogException}. Fails at once, without queueing, if the budget is clearly used up.
     */
    @Override
    public CompletableFuture<AppendResult> appendAsync(StreamKey stream, List<AppendRecord> records) {
        requireNonNull(stream, "stream is null");
        requireNonNull(records, "records is null");
        checkOpen();
        PendingAppend append = new PendingAppend(index.stream(stream), records);
        writer.submit(append);
        return append.result();
    }

    /** A reader of the stream from its committed offset. */
    @Override
    public JournalReader openReader(StreamKey stream) {
        requireNonNull(stream, "stream is null");
        checkOpen();
        StreamState state = index.stream(stream);
        return new JournalReader(index, readBuffers, state, index.offsets(state).committed());
    }

    /**
     * A reader of the stream from {@code fromOffset} (records no longer held are skipped).
     *
     * @throws IllegalArgumentException if {@code fromOffset} is negative or beyond the stream's end
     */
    @Override
    public JournalReader openReader(StreamKey stream, long fromOffset) {
        requireNonNull(stream, "stream is null");
        checkOpen();
        StreamState state = index.stream(stream);
        long end = index.offsets(state).end();
        if (fromOffset < 0 || fromOffset > end) {
            throw new IllegalArgumentException(
                    "stream " + stream + " has offsets 0 to " + end + "; cannot read from " + fromOffset);
        }
        return new JournalReader(index, readBuffers, state, fromOffset);
    }

    /** The stream's offsets, if the log has ever held data of it. */
    @Override
    public Optional<StreamOffsets> offsets(StreamKey stream) {
        requireNonNull(stream, "stream is null");
        checkOpen();
        StreamState state = index.existing(stream);
        return state == null ? Optional.empty() : Optional.of(index.offsets(state));
    }

    /**
     * Records that every record of the stream before {@code offset} is delivered. Durable when it
     * returns; moving backwards is ignored. Frees the segments this releases.
     *
     * @throws IllegalArgumentException if {@code offset} is beyond the stream's end
     * @throws LogWriteException if the checkpoint could not be written (the commit is kept in memory
     *     and written with the next one)
     */
    @Override
    public void commit(StreamKey stream, long offset) {
        requireNonNull(stream, "stream is null");
        if (offset < 0) {
            throw new IllegalArgumentException("offsets are not negative: " + offset);
        }
        checkOpen();
        StreamState state = index.stream(stream);
        if (!index.commit(state, offset)) {
            return;
        }
        persistCheckpointOrFail();
        free(index.segmentsOf(state));
    }

    /**
     * Deletes a stream's data logically: its records stop holding segments (which are freed as soon as
     * no other stream needs them), its appends and readers fail from now on. Durable when it returns.
     */
    @Override
    public void deleteStream(StreamKey stream) {
        requireNonNull(stream, "stream is null");
        checkOpen();
        List<Segment> held = index.delete(stream);
        persistCheckpointOrFail();
        free(held);
    }

    /**
     * Drops data older than the retention and frees segments no stream needs. Runs every ten seconds
     * on its own; call it to act on a moved clock at once.
     */
    public void enforceRetention() {
        checkOpen();
        maintenanceLock.lock();
        try {
            long cutoff = clock.millis() - config.retention().toMillis();
            if (index.expiredActiveSegment(cutoff) != null) {
                writer.seal();
            }
            Map<Segment, List<LogIndex.Expiring>> expiring = index.expiringSegments(cutoff);
            if (!expiring.isEmpty()) {
                List<ExpiredData> dropped = count(expiring);
                index.expire(expiring.keySet());
                persistCheckpointOrFail();
                deleteFiles(expiring.keySet());
                for (ExpiredData data : dropped) {
                    LOG.log(
                            Level.ERROR,
                            "Dropped {0} undelivered records ({1} bytes, offsets from {2}) of stream {3}: they are"
                                    + " older than the retention of {4}.",
                            data.records(),
                            data.bytes(),
                            data.firstOffset(),
                            data.stream(),
                            config.retention());
                    try {
                        listener.expired(data);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "The log listener failed on expired data: {0}", e.toString());
                    }
                }
            }
            deleteFiles(index.removeFreeSegments(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            maintenanceLock.unlock();
        }
    }

    /** Counters and current size. */
    public LogStats stats() {
        return writer.stats(diskBytes.get(), index.segments().size());
    }

    /** Heap bytes of the sparse indexes, approximately (for the memory bound). */
    long indexBytes() {
        return index.indexBytes();
    }

    /**
     * Writes and forces what is queued, stops the writer, the retention timer and the deletion of freed
     * segments (finished after the next start), writes the checkpoint and releases the directory.
     * Readers fail afterwards.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean interrupted = false;
        retentionTimer.shutdownNow();
        while (true) {
            try {
                writer.close();
                retentionTimer.awaitTermination(1, TimeUnit.MINUTES);
                reclaimer.stop();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        maintenanceLock.lock();
        try {
            persistCheckpoint();
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "Writing the checkpoint at close failed; the last commits may be redelivered: {0}",
                    e);
        } finally {
            maintenanceLock.unlock();
        }
        index.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Releasing the log directory lock failed: {0}", e.toString());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void retentionTick() {
        try {
            enforceRetention();
        } catch (LogClosedException e) {
            // Closing; the timer is being stopped.
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Retention check failed; will retry: {0}", e.toString());
        }
    }

    /** Counts the undelivered records and bytes of expiring segments, per stream. */
    private List<ExpiredData> count(Map<Segment, List<LogIndex.Expiring>> expiring) {
        Map<StreamState, long[]> totals = new LinkedHashMap<>();
        for (List<LogIndex.Expiring> parts : expiring.values()) {
            for (LogIndex.Expiring part : parts) {
                StreamSegment data = part.part();
                long bytes = data.endCumulativeBytes() - cumulativeAt(data.stream(), part.from(), data);
                long[] total = totals.computeIfAbsent(data.stream(), stream -> new long[] {part.from(), 0, 0});
                total[1] += data.endOffset() - part.from();
                total[2] += bytes;
            }
        }
        List<ExpiredData> dropped = new ArrayList<>();
        totals.forEach((stream, total) -> dropped.add(new ExpiredData(stream.key(), total[0], total[1], total[2])));
        return dropped;
    }

    /** The stream's running payload total before {@code offset}, read from the segment if needed. */
    private long cumulativeAt(StreamState stream, long offset, StreamSegment part) {
        if (offset <= part.firstOffset()) {
            return part.entryCumulativeBytes(0);
        }
        try (JournalReader reader = new JournalReader(index, readBuffers, stream, offset)) {
            return reader.cumulativeBytesAtPosition();
        } catch (LogException | java.io.UncheckedIOException e) {
            LOG.log(Level.WARNING, "Counting expired bytes of stream {0} failed: {1}", stream, e.toString());
            return part.entryCumulativeBytes(0);
        }
    }

    /** Deletes the files of segments no stream needs among {@code candidates}. */
    private void free(Collection<Segment> candidates) {
        if (candidates.isEmpty()) {
            return;
        }
        maintenanceLock.lock();
        try {
            deleteFiles(index.removeFreeSegments(candidates));
        } finally {
            maintenanceLock.unlock();
        }
    }

    /**
     * Deletes removed segments' files (renamed out of the log now, shrunk and deleted in the background);
     * the checkpoint that released them is written first.
     */
    private void deleteFiles(Collection<Segment> removed) {
        if (removed.isEmpty()) {
            return;
        }
        persistCheckpointOrFail();
        for (Segment segment : removed) {
            try {
                reclaimer.free(segment.path());
                diskBytes.addAndGet(-segment.fileSize());
            } catch (NoSuchFileException e) {
                diskBytes.addAndGet(-segment.fileSize());
            } catch (IOException e) {
                LOG.log(
                        Level.WARNING,
                        "Deleting freed segment {0} failed; it is retried at the next start: {1}",
                        segment,
                        e.toString());
            }
        }
        try {
            AtomicFiles.forceDirectory(config.directory());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Forcing the log directory failed after deleting segments: {0}", e.toString());
        }
    }

    private void persistCheckpointOrFail() {
        try {
            persistCheckpoint();
        } catch (IOException e) {
            throw new LogWriteException("Could not write the record log checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the checkpoint if the state changed since the last write. Concurrent callers coalesce:
     * whoever gets the lock writes the newest state, and the others find their change already written.
     */
    private void persistCheckpoint() throws IOException {
        long wanted = index.version();
        checkpointLock.lock();
        try {
            if (persistedVersion >= wanted) {
                return;
            }
            LogIndex.Snapshot snapshot = index.snapshot();
            AtomicFiles.replace(checkpointFile, snapshot.checkpoint().encode());
            persistedVersion = snapshot.version();
        } finally {
            checkpointLock.unlock();
        }
    }

    private static Checkpoint readCheckpoint(Path directory) throws IOException {
        Path file = directory.resolve(Checkpoint.FILE_NAME);
        Files.deleteIfExists(directory.resolve(Checkpoint.FILE_NAME + AtomicFiles.TEMP_SUFFIX));
        if (!Files.exists(file)) {
            return Checkpoint.EMPTY;
        }
        try {
            return Checkpoint.decode(Files.readAllBytes(file));
        } catch (BadFrameException e) {
            Path aside = directory.resolve(Checkpoint.FILE_NAME + ".corrupt");
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(
                    Level.ERROR,
                    "The log checkpoint is damaged ({0}); moved it to {1} and start with nothing committed, so"
                            + " held records are delivered again.",
                    e.getMessage(),
                    aside.getFileName());
            return Checkpoint.EMPTY;
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new LogClosedException();
        }
    }
}
