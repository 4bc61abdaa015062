package io.sluice.common;

import static java.util.Objects.requireNonNull;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A new file written as a stream with direct I/O ({@code O_DIRECT}), past the page cache: bytes gather
 * in an aligned buffer lent by {@link Buffers}, written to the disk whenever it is full. On {@link
 * #close()} the whole blocks left are written the same way, the last partial block (which direct I/O
 * cannot write) through the page cache, and the buffer goes back. Nothing is forced: whoever keeps the
 * file forces it whole, and then only the file's metadata and that last block are left to write.
 *
 * <p>Why: with delivery running, objects written through the page cache cost a copy into it (8 % of
 * the server's CPU samples at 500 × 1 KiB) and, forced every few MiB so that the record log's fsync
 * never queues behind a large writeback, a device cache flush each time. Written directly, each chunk
 * goes to the disk once, as it is written, with no flush (BENCHMARKS.md, issue 16).
 */
public final class DirectlyWrittenFile extends OutputStream {
    private final FileChannel channel;
    private final Path file;
    private final Buffers buffers;
    private final ByteBuffer buffer;
    private long position;
    private boolean closed;

    private DirectlyWrittenFile(FileChannel channel, Path file, Buffers buffers) {
        this.channel = channel;
        this.file = file;
        this.buffers = buffers;
        this.buffer = buffers.take();
    }

    /** Creates {@code file}, which must not exist, in a folder {@code buffers} was made {@link Buffers#in for}. */
    public static DirectlyWrittenFile create(Path file, Buffers buffers) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(buffers, "buffers is null");
        return new DirectlyWrittenFile(
                FileChannel.open(
                        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT),
                file,
                buffers);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        while (length > 0) {
            int taken = Math.min(length, buffer.remaining());
            buffer.put(bytes, offset, taken);
            offset += taken;
            length -= taken;
            if (!buffer.hasRemaining()) {
                writeDirectly(buffer.position());
                buffer.clear();
            }
        }
    }

    /** Writes what is buffered and closes the file, without forcing it. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            int tail = buffer.position() % buffers.block;
            int whole = buffer.position() - tail;
            writeDirectly(whole);
            if (tail > 0) {
                try (FileChannel cached = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    writeFully(cached, buffer.slice(whole, tail), position);
                }
            }
        } finally {
            buffers.giveBack(buffer);
        }
    }

    /** Writes the first {@code length} buffered bytes, whole blocks, at the end of the file. */
    private void writeDirectly(int length) throws IOException {
        writeFully(channel, buffer.slice(0, length), position);
        position += length;
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("closed: " + file);
        }
    }

    /**
     * Direct buffers of whole blocks of one file system, aligned as direct I/O needs, lent to each file
     * while it is written; up to {@code kept} given back are kept for the next files, the rest left to
     * the collector. Thread-safe.
     */
    public static final class Buffers {
        private final int block;
        private final int size;
        private final BlockingQueue<ByteBuffer> kept;

        private Buffers(int block, int size, int kept) {
            this.block = block;
            this.size = size;
            this.kept = new ArrayBlockingQueue<>(kept);
        }

        /**
         * Buffers of {@code chunk} (rounded up to whole blocks) for files in {@code directory}, if its
         * file system takes direct I/O, which is tried with a file there that is removed again; empty
         * where opening with {@code O_DIRECT} is refused (tmpfs before Linux 6.6, some FUSE file
         * systems). A folder that is missing or not writable throws.
         */
        public static Optional<Buffers> in(Path directory, DataSize chunk, int kept) throws IOException {
            requireNonNull(directory, "directory is null");
            requireNonNull(chunk, "chunk is null");
            if (chunk.bytes() <= 0 || chunk.bytes() > Integer.MAX_VALUE / 2 || kept <= 0) {
                throw new IllegalArgumentException(
                        "chunk must be positive and under 1 GiB, kept positive: " + chunk + ", " + kept);
            }
            Path probe = directory.resolve(".direct-" + UUID.randomUUID() + ".tmp");
            try (FileChannel channel = FileChannel.open(
                    probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                int block = Math.toIntExact(Files.getFileStore(probe).getBlockSize());
                return Optional.of(
                        new Buffers(block, Math.toIntExact((chunk.bytes() + block - 1) / block * block), kept));
            } catch (UnsupportedOperationException e) {
                return Optional.empty();
            } catch (FileSystemException e) {
                // the refusal is EINVAL, which has no subclass of its own (missing folders and denials do)
                if (e.getClass() == FileSystemException.class) {
                    return Optional.empty();
                }
                throw e;
            } finally {
                Files.deleteIfExists(probe);
            }
        }

        /** The file system's block size, which every direct write is a multiple of. */
        int block() {
            return block;
        }

        /** The size of each buffer, whole blocks. */
        int size() {
            return size;
        }

        private ByteBuffer take() {
            ByteBuffer buffer = kept.poll();
            return buffer != null
                    ? buffer.clear()
                    : ByteBuffer.allocateDirect(size + block)
                            .alignedSlice(block)
                            .slice(0, size);
        }

        private void giveBack(ByteBuffer buffer) {
            kept.offer(buffer);
        }
    }
}
