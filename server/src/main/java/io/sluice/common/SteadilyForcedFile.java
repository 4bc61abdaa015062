package io.sluice.common;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A new file written as a stream whose bytes are forced to disk every {@code interval} bytes, so it
 * never holds more than that much data the disk has not seen.
 *
 * <p>Why: on ext4 (data=ordered) the record log's fsync after each group of puts also waits for the data
 * of other files whose writeback has started. A large object written without forcing leaves hundreds of
 * MiB dirty until the kernel's flusher or the store's final fsync writes them at once, and puts waited
 * up to 90 ms behind that at the 99th percentile. Forcing a file that is kept anyway as it is written
 * spreads the same disk writes evenly and leaves the final fsync only the last few MiB.
 */
public final class SteadilyForcedFile extends OutputStream {
    private final FileChannel channel;
    private final long interval;
    private long unforced;

    private SteadilyForcedFile(FileChannel channel, long interval) {
        this.channel = channel;
        this.interval = interval;
    }

    /** Creates {@code file}, which must not exist, to be forced every {@code interval} bytes written. */
    public static SteadilyForcedFile create(Path file, DataSize interval) throws IOException {
        requireNonNull(interval, "interval is null");
        if (interval.bytes() <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        return new SteadilyForcedFile(
                FileChannel.open(
                        requireNonNull(file, "file is null"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                interval.bytes());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        unforced += length;
        if (unforced >= interval) {
            channel.force(false);
            unforced = 0;
        }
    }

    /** Closes the file without forcing what is left: whoever keeps the file forces it whole. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
