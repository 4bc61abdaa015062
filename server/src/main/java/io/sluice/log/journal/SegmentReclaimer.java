package io.sluice.log.journal;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Deletes freed segment files without stalling the log's fsync.
 *
 * <p>Why: on a file system mounted with online discard (ext4's {@code discard}, common on cloud
 * disks) the journal commit that frees a file's blocks also discards them, and every fsync on the file
 * system waits for that commit. Unlinking a 128 MiB segment held the log's fsync for about 40 ms, once
 * per delivered segment: the whole p99 of a put at half load. So a freed segment is first renamed out
 * of the log ({@code NAME.seg} → {@code NAME.seg.free}; recovery reads only {@code .seg} files), then
 * shrunk {@link #STEP} at a time, each step forced so that each commit frees only that much, with a
 * {@link #PAUSE} between steps for the log's own commits, and unlinked once empty. A 128 MiB segment
 * takes about a tenth of a second, far less than the log takes to fill one.
 *
 * <p>One platform thread ({@code sluice-log-reclaimer}) does the shrinking; {@link #free} only renames.
 * Files still named {@code .free} when the log closes or the process dies are freed after the next
 * start. The log counts a segment's bytes as free from the rename on.
 */
final class SegmentReclaimer {
    private static final System.Logger LOG = System.getLogger(SegmentReclaimer.class.getName());
    static final String FREE_SUFFIX = ".free";

    /** About 1.3 ms of discard on a disk that took 40 ms for 128 MiB. */
    static final DataSize STEP = DataSize.ofMebibytes(4);

    static final Duration PAUSE = Duration.ofMillis(2);

    private final Path directory;
    private final long step;
    private final Duration pause;
    private final LinkedBlockingQueue<Path> freed = new LinkedBlockingQueue<>();
    private final Thread thread;

    SegmentReclaimer(Path directory, DataSize step, Duration pause) {
        this.directory = requireNonNull(directory, "directory is null");
        this.step = requireNonNull(step, "step is null").bytes();
        this.pause = requireNonNull(pause, "pause is null");
        if (this.step <= 0 || pause.isNegative()) {
            throw new IllegalArgumentException("step must be positive and pause not negative: " + step + ", " + pause);
        }
        this.thread =
                Thread.ofPlatform().name("sluice-log-reclaimer").daemon(true).unstarted(this::run);
    }

    /** Starts the thread, with the files a previous run left renamed but not yet deleted. */
    void start() throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*" + FREE_SUFFIX)) {
            leftovers.forEach(freed::add);
        }
        thread.start();
    }

    /**
     * Takes {@code segment} out of the log at once (renamed, so it is never read again) and deletes it
     * in the background. The caller forces the directory.
     *
     * @throws NoSuchFileException the segment's file is already gone
     */
    void free(Path segment) throws IOException {
        Path renamed = segment.resolveSibling(segment.getFileName() + FREE_SUFFIX);
        Files.move(segment, renamed, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        freed.add(renamed);
    }

    /** Stops the thread; a file it was shrinking keeps its {@code .free} name for the next start. */
    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }

    private void run() {
        try {
            while (true) {
                delete(freed.take());
            }
        } catch (InterruptedException e) {
            // Closing.
        }
    }

    private void delete(Path file) throws InterruptedException {
        try {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                for (long size = channel.size(); size > 0; ) {
                    size = Math.max(0, size - step);
                    channel.truncate(size);
                    channel.force(true);
                    Thread.sleep(pause);
                }
            }
            Files.delete(file);
        } catch (ClosedByInterruptException e) {
            throw new InterruptedException("closing");
        } catch (NoSuchFileException e) {
            // Deleted already.
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "Deleting freed segment file {0} failed; it is retried at the next start: {1}",
                    file.getFileName(),
                    e.toString());
        }
    }
}
