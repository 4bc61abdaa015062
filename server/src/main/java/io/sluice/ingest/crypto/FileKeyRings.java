package io.sluice.ingest.crypto;

import static java.util.Objects.requireNonNull;

import io.sluice.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Key rings of one node: {@code <keys directory>/<stream uid>.key}, readable by the owner only, replaced
 * atomically. The one node's {@link DataKeys} serialises its writes, so {@code expected} is taken as given.
 */
public final class FileKeyRings implements KeyRingStore {
    private final Path directory;

    public FileKeyRings(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    @Override
    public Optional<byte[]> read(String streamUid) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file(streamUid)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean replace(String streamUid, Optional<byte[]> expected, byte[] ring) throws IOException {
        AtomicFiles.replaceOwnerOnly(file(streamUid), ring);
        return true;
    }

    @Override
    public void delete(String streamUid) throws IOException {
        AtomicFiles.delete(file(streamUid));
    }

    @Override
    public String describe(String streamUid) {
        return file(streamUid).toString();
    }

    private Path file(String uid) {
        requireUuid(uid);
        return directory.resolve(uid + MasterKey.KEY_SUFFIX);
    }

    /** Stream uids become file names: only the catalog's canonical UUIDs are accepted. */
    private static void requireUuid(String uid) {
        boolean canonical;
        try {
            canonical = UUID.fromString(uid).toString().equals(uid);
        } catch (IllegalArgumentException e) {
            canonical = false;
        }
        if (!canonical) {
            throw new IllegalArgumentException("a stream uid is a UUID: " + uid);
        }
    }
}
