package io.sluice.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Small durable files, replaced whole. {@link #replace} writes the new content to a sibling temp
 * file, forces it to disk, renames it over the target atomically and forces the directory, so
 * after a crash at any moment the target holds either the complete old content or the complete
 * new content, never a mix or nothing.
 *
 * <p>Callers serialise replacements of the same target; replacements of different targets may run
 * concurrently. A leftover {@code <name>.tmp} (crash before the rename) is garbage and may be
 * deleted by the owner of the file.
 */
public final class AtomicFiles {
    /** Suffix of the temp file beside a target while it is being replaced. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {}

    /** Durably replaces {@code target} with {@code content}; returns once the new content survives a crash. */
    public static void replace(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temp = directory.resolve(absolute.getFileName() + TEMP_SUFFIX);
        Files.createDirectories(directory);
        try {
            try (FileChannel channel = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        forceDirectory(directory);
    }

    /** Deletes {@code target} if present and forces its directory so the deletion survives a crash. */
    public static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            forceDirectory(target.toAbsolutePath().getParent());
        }
    }

    /**
     * Forces a directory's entries (created, renamed, deleted files) to disk. Needed after creating
     * or renaming a file whose existence must survive a crash. POSIX only.
     */
    public static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
