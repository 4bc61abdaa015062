package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

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
     * The keys of {@code bucket} in S3's order (by their UTF-8 bytes), at most {@code limit} of them — what
     * the console shows of a stream's objects; {@code roleArn} is the stream's role, as for a put. Empty
     * when the bucket does not exist.
     *
     * @throws IOException the store could not be read
     */
    List<String> keys(String bucket, Optional<String> roleArn, int limit) throws IOException;

    /**
     * The first {@code bytes} bytes of object {@code key} and its size, or empty when there is no such
     * object.
     *
     * @throws IOException the store could not be read
     */
    Optional<ObjectHead> head(String bucket, String key, Optional<String> roleArn, int bytes) throws IOException;

    /** The first bytes of an object and its whole size. */
    record ObjectHead(byte[] firstBytes, long size) {
        public ObjectHead {
            requireNonNull(firstBytes, "firstBytes is null");
        }
    }

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
