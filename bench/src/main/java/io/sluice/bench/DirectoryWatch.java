package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Watches a bucket folder of Sluice's embedded local store ({@code <data-dir>/buckets/<bucket>}) by
 * listing it every {@code poll}: each object that appeared is read whole and its records noted as seen
 * at that listing. Objects appear atomically (renamed into place), so a listed object is complete. The
 * objects must be uncompressed.
 */
final class DirectoryWatch implements Closeable {
    private final Path folder;
    private final Duration poll;
    private final Arrivals arrivals;
    private final Set<Path> read = new HashSet<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    private DirectoryWatch(Path folder, Duration poll, Arrivals arrivals) {
        this.folder = requireNonNull(folder, "folder is null");
        this.poll = requireNonNull(poll, "poll is null");
        this.arrivals = requireNonNull(arrivals, "arrivals is null");
        this.thread = Thread.ofPlatform().daemon().name("directory-watch").unstarted(this::watch);
    }

    static DirectoryWatch start(Path folder, Duration poll, Arrivals arrivals) {
        DirectoryWatch watch = new DirectoryWatch(folder, poll, arrivals);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        try {
            while (!stopped) {
                long listedAt = System.nanoTime();
                for (Path object : newObjects()) {
                    byte[] body = Files.readAllBytes(object);
                    arrivals.seen(body, 0, body.length, listedAt);
                }
                Thread.sleep(poll);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failure = new UncheckedIOException("watching " + folder + " failed", e);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private List<Path> newObjects() throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(read::add).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** Throws what stopped the watch, if anything did. */
    void check() {
        RuntimeException stoppedBy = failure;
        if (stoppedBy != null) {
            throw stoppedBy;
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
