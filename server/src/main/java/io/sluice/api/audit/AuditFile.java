package io.sluice.api.audit;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit lines appended to {@code <directory>/audit.log}. When a line would make the file larger than
 * {@code maxSize}, the file is rotated first: {@code audit.log.1} becomes {@code audit.log.2} and so on,
 * the oldest beyond {@code maxFiles} (counting {@code audit.log}) is deleted, and {@code audit.log}
 * becomes {@code audit.log.1}. Lines are written whole and flushed to the operating system one by one
 * (not fsynced: the log is a record for people, not a journal). Thread-safe.
 */
public final class AuditFile implements AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFile.class);
    static final String NAME = "audit.log";

    private final Path directory;
    private final DataSize maxSize;
    private final int maxFiles;
    private final Clock clock;
    private OutputStream out;
    private long size;

    private AuditFile(Path directory, DataSize maxSize, int maxFiles, Clock clock) throws IOException {
        this.directory = directory;
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        this.clock = clock;
        open();
    }

    /** Appends to the audit log in {@code directory} (made if missing), which keeps at most {@code maxFiles} files. */
    public static AuditFile open(Path directory, DataSize maxSize, int maxFiles, Clock clock) throws IOException {
        requireNonNull(directory, "directory is null");
        requireNonNull(maxSize, "maxSize is null");
        requireNonNull(clock, "clock is null");
        if (maxFiles < 1) {
            throw new IllegalArgumentException("maxFiles must be at least 1: " + maxFiles);
        }
        if (maxSize.bytes() < 1) {
            throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
        }
        Files.createDirectories(directory);
        return new AuditFile(directory, maxSize, maxFiles, clock);
    }

    private void open() throws IOException {
        Path file = directory.resolve(NAME);
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    @Override
    public synchronized void record(AuditEvent event) {
        byte[] line = AuditLines.line(clock.instant(), event);
        try {
            if (size > 0 && size + line.length > maxSize.bytes()) {
                rotate();
            }
            out.write(line);
            out.flush();
            size += line.length;
        } catch (IOException e) {
            LOG.error("Could not write to the audit log in {}: {}", directory, e.toString());
        }
    }

    private void rotate() throws IOException {
        out.close();
        if (maxFiles > 1) {
            Files.deleteIfExists(rotated(maxFiles - 1));
        }
        for (int n = maxFiles - 2; n >= 1; n--) {
            if (Files.exists(rotated(n))) {
                Files.move(rotated(n), rotated(n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (maxFiles > 1) {
            Files.move(directory.resolve(NAME), rotated(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(directory.resolve(NAME));
        }
        open();
    }

    private Path rotated(int n) {
        return directory.resolve(NAME + "." + n);
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("Could not close the audit log in {}: {}", directory, e.toString());
        }
    }
}
