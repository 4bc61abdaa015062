package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.xerial.snappy.SnappyHadoopCompatibleOutputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * Writes one object's body, record by record, in the container of its {@link ObjectFormat}
 * (see {@code package-info.java} for the byte layouts). Nothing is held beyond 64 KiB of records, the
 * compressor's own block and 32 KiB of encoded bytes: the body streams into the given
 * {@link OutputStream}, which the encoder owns and closes.
 *
 * <p>The compressor is never flushed before {@link #close()}: a flush would end a Snappy block early
 * and the bytes would no longer be those AWS writes for the same records. Not thread-safe; after an
 * {@link IOException} the body is incomplete and must be discarded.
 */
public final class ObjectEncoder implements Closeable {
    /**
     * Records are gathered this much at a time before the container sees them (deflating 64 KiB per
     * call is markedly faster than record by record; copying straight out of a record's buffer saves a
     * copy), and encoded bytes this much before they are written.
     */
    private static final int RECORD_BUFFER_BYTES = 64 * 1024;

    private static final int ENCODED_BUFFER_BYTES = 32 * 1024;
    /**
     * zlib level for GZIP and ZIP bodies. AWS does not publish its level; 4 compresses JSON-like records
     * about 3 % larger than zlib's default (6) at 1.8 times its speed (BENCHMARKS.md), which keeps one
     * delivery thread above 40 MB/s.
     */
    static final int DEFLATE_LEVEL = 4;

    private static final byte DELIMITER = '\n';

    private final ObjectFormat format;
    private final CountingOutputStream encoded;
    private final OutputStream body;
    private final byte[] pending = new byte[RECORD_BUFFER_BYTES];
    private int pendingLength;
    private long records;
    private long uncompressedBytes;
    private boolean closed;

    private ObjectEncoder(ObjectFormat format, CountingOutputStream encoded, OutputStream body) {
        this.format = format;
        this.encoded = encoded;
        this.body = body;
    }

    /**
     * Starts a body in {@code format} on {@code out}. {@code zipEntryNames} names the single entry of a
     * ZIP body and {@code clock} dates it; other formats use neither.
     */
    public static ObjectEncoder open(ObjectFormat format, OutputStream out, Supplier<UUID> zipEntryNames, Clock clock)
            throws IOException {
        requireNonNull(format, "format is null");
        requireNonNull(zipEntryNames, "zipEntryNames is null");
        requireNonNull(clock, "clock is null");
        CountingOutputStream encoded = new CountingOutputStream(
                new BufferedOutputStream(requireNonNull(out, "out is null"), ENCODED_BUFFER_BYTES));
        OutputStream body = switch (format.compression()) {
            case UNCOMPRESSED -> encoded;
            case GZIP -> new LeveledGzipOutputStream(encoded);
            case ZIP -> zip(encoded, zipEntryNames.get(), clock);
            case SNAPPY -> new SnappyOutputStream(encoded);
            case HADOOP_SNAPPY -> new SnappyHadoopCompatibleOutputStream(encoded);
        };
        return new ObjectEncoder(format, encoded, body);
    }

    /**
     * Starts a body in {@code format} in a new staging {@code file} that {@code store} creates, as
     * {@link #open} does; if that fails, the file is removed.
     */
    public static ObjectEncoder create(
            ObjectFormat format, Path file, ObjectStore store, Supplier<UUID> zipEntryNames, Clock clock)
            throws IOException {
        OutputStream out = store.createStaged(file);
        try {
            return open(format, out, zipEntryNames, clock);
        } catch (IOException | RuntimeException e) {
            out.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static ZipOutputStream zip(OutputStream out, UUID entryName, Clock clock) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setMethod(ZipOutputStream.DEFLATED);
        zip.setLevel(DEFLATE_LEVEL);
        ZipEntry entry = new ZipEntry(entryName.toString());
        entry.setTime(clock.millis());
        zip.putNextEntry(entry);
        return zip;
    }

    /** Appends one record, then a newline when the format appends delimiters. */
    public void append(byte[] record) throws IOException {
        append(record, 0, record.length);
    }

    /** Appends {@code length} bytes of {@code record} from {@code offset} as one record. */
    public void append(byte[] record, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, record.length);
        ensureOpen();
        if (length > pending.length - pendingLength) {
            writePending();
        }
        if (length >= pending.length) {
            body.write(record, offset, length);
        } else {
            System.arraycopy(record, offset, pending, pendingLength, length);
            pendingLength += length;
        }
        ended(length);
    }

    /** Appends the remaining bytes of {@code record} as one record, consuming them. */
    public void append(ByteBuffer record) throws IOException {
        ensureOpen();
        int length = record.remaining();
        while (record.hasRemaining()) {
            if (pendingLength == pending.length) {
                writePending();
            }
            int chunk = Math.min(pending.length - pendingLength, record.remaining());
            record.get(pending, pendingLength, chunk);
            pendingLength += chunk;
        }
        ended(length);
    }

    private void ended(int length) throws IOException {
        uncompressedBytes += length;
        if (format.appendsDelimiter()) {
            if (pendingLength == pending.length) {
                writePending();
            }
            pending[pendingLength++] = DELIMITER;
            uncompressedBytes++;
        }
        records++;
    }

    private void writePending() throws IOException {
        if (pendingLength > 0) {
            body.write(pending, 0, pendingLength);
            pendingLength = 0;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("encoder is closed");
        }
    }

    /** Records appended so far. */
    public long records() {
        return records;
    }

    /** Bytes before compression: records and delimiters. */
    public DataSize uncompressedSize() {
        return DataSize.ofBytes(uncompressedBytes);
    }

    /** Bytes of the body written so far; the object's size once closed. */
    public DataSize encodedSize() {
        return DataSize.ofBytes(encoded.count);
    }

    public ObjectFormat format() {
        return format;
    }

    /** The {@code Content-Encoding} to store the object with. */
    public Optional<String> contentEncoding() {
        return format.contentEncoding();
    }

    /** The {@code Content-Type} to store the object with. */
    public String contentType() {
        return ObjectFormat.CONTENT_TYPE;
    }

    /** Ends the container (trailer, last block, ZIP directory), flushes and closes the stream. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                writePending();
            } finally {
                body.close();
            }
        }
    }

    /** Counts the container's bytes on their way to the buffered target. */
    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        private long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** A GZIP member deflated at {@link #DEFLATE_LEVEL} rather than the JDK's fixed default. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out) throws IOException {
            super(out, ENCODED_BUFFER_BYTES);
            def.setLevel(DEFLATE_LEVEL);
        }
    }
}
