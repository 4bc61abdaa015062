package io.sluice.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

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

    /** {@code rw-------}: what {@link #replaceOwnerOnly} gives a file. */
    public static final Set<PosixFilePermission> OWNER_ONLY =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private AtomicFiles() {}

    /** Durably replaces {@code target} with {@code content}; returns once the new content survives a crash. */
    public static void replace(Path target, byte[] content) throws IOException {
        write(
                target,
                content,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /**
     * As {@link #replace}, for secrets: the file is {@code rw-------} ({@link #OWNER_ONLY}) from the moment
     * it exists, the temp file included (a leftover temp file is deleted first, whatever its
     * permissions). POSIX only.
     */
    public static void replaceOwnerOnly(Path target, byte[] content) throws IOException {
        Files.deleteIfExists(tempOf(target.toAbsolutePath()));
        write(
                target,
                content,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    }

    private static void write(
            Path target, byte[] content, Set<StandardOpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temp = tempOf(absolute);
        Files.createDirectories(directory);
        try {
            try (FileChannel channel = FileChannel.open(temp, options, attributes)) {
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

    private static Path tempOf(Path absolute) {
        return absolute.resolveSibling(absolute.getFileName() + TEMP_SUFFIX);
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
