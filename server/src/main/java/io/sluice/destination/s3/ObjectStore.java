package io.sluice.destination.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where S3 objects are written: a real S3-compatible service ({@code SdkObjectStore}) or the local
 * data directory ({@code LocalObjectStore}). Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Stores one object whole, replacing any object under the same key, or nothing at all. Never
     * throws for a failure of the store, the network or the content: those are {@link PutOutcome.Failure}s.
     */
    PutOutcome put(PutObject request);

    /**
     * Creates {@code file}, a new staging file for an object's body, the way this store wants it written:
     * plainly by default; the local store forces it as it is written, because the file becomes the object.
     */
    default OutputStream createStaged(Path file) throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Releases connections; a put after close throws {@link IllegalStateException}. */
    @Override
    void close();
}
