package io.sluice.log.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FileChannelOpener} whose channels behave like real ones (they delegate to {@link
 * FileChannel#open}) until told to fail: the next write writes part of its bytes and then throws as a
 * full disk does, a force throws, an open throws, or a force blocks until released. Thread-safe.
 */
final class FaultyChannels implements FileChannelOpener {
    private final AtomicInteger failWrites = new AtomicInteger();
    private final AtomicInteger writesBeforeFailure = new AtomicInteger(-1);
    private final AtomicInteger failForces = new AtomicInteger();
    private final AtomicInteger failOpens = new AtomicInteger();
    private final AtomicInteger failTruncates = new AtomicInteger();
    private volatile CountDownLatch forceGate;
    private volatile CountDownLatch forceEntered;

    /** The next {@code count} writes write half their bytes, then fail with ENOSPC. */
    void failWrites(int count) {
        failWrites.set(count);
    }

    /** Lets {@code count} more writes succeed, then fails the next one as {@link #failWrites} does. */
    void failWriteAfter(int count) {
        writesBeforeFailure.set(count);
    }

    void failForces(int count) {
        failForces.set(count);
    }

    void failOpens(int count) {
        failOpens.set(count);
    }

    void failTruncates(int count) {
        failTruncates.set(count);
    }

    /** Forces block until {@link #openGate}; returns a latch released when one is blocked. */
    CountDownLatch closeGate() {
        forceGate = new CountDownLatch(1);
        forceEntered = new CountDownLatch(1);
        return forceEntered;
    }

    void openGate() {
        forceGate.countDown();
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(value -> Math.max(0, value - 1)) > 0;
    }

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        if (take(failOpens)) {
            throw new IOException("No space left on device");
        }
        return new Channel(FileChannel.open(path, options));
    }

    private final class Channel extends FileChannel {
        private final FileChannel real;

        Channel(FileChannel real) {
            this.real = real;
        }

        private int writeOrFail(ByteBuffer source, long position) throws IOException {
            if (take(failWrites) || writesBeforeFailure.getAndDecrement() == 0) {
                int half = source.remaining() / 2;
                ByteBuffer part = source.duplicate();
                part.limit(part.position() + half);
                real.write(part, position);
                throw new IOException("No space left on device");
            }
            return real.write(source, position);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return writeOrFail(source, position);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            int written = writeOrFail(source, real.position());
            real.position(real.position() + written);
            return written;
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(sources[i]);
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            CountDownLatch gate = forceGate;
            if (gate != null) {
                forceEntered.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (take(failForces)) {
                throw new IOException("Input/output error");
            }
            real.force(metaData);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            if (take(failTruncates)) {
                throw new IOException("Input/output error");
            }
            real.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            return real.read(destination);
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
            return real.read(destinations, offset, length);
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return real.read(destination, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
            throw new IOException("transferFrom is not supported by this test channel");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new IOException("map is not supported by this test channel");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
