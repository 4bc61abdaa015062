package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The body of an object to store, never held in the heap: a file, or a stream of known length that
 * can be opened again (a store may read it more than once, to retry or to upload it in parts).
 */
public sealed interface ObjectContent permits ObjectContent.OfFile, ObjectContent.OfStream {

    /** The number of bytes of the body. */
    DataSize size();

    /** Opens the body from its first byte; the caller closes the stream. */
    InputStream open() throws IOException;

    /** Opens a new stream on the same bytes each time it is called. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** A file's whole content; its size is read once, here, and the file must not change afterwards. */
    static OfFile of(Path file) throws IOException {
        return new OfFile(file, DataSize.ofBytes(Files.size(file)));
    }

    /** The body in a file of {@code size} bytes. */
    record OfFile(Path file, DataSize size) implements ObjectContent {
        public OfFile {
            requireNonNull(file, "file is null");
            requireNonNull(size, "size is null");
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }

    /** {@code size} bytes from streams {@code opener} makes; each stream must yield the same bytes. */
    record OfStream(Opener opener, DataSize size) implements ObjectContent {
        public OfStream {
            requireNonNull(opener, "opener is null");
            requireNonNull(size, "size is null");
        }

        @Override
        public InputStream open() throws IOException {
            return opener.open();
        }
    }
}
