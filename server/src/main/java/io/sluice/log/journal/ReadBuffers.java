package io.sluice.log.journal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Direct buffers lent to the journal's readers for their windows and large frames. Why direct: the JDK
 * reads a file into a heap buffer through a temporary direct buffer of its own and copies it over, so a
 * heap buffer costs every byte delivered a second copy (and the cache room of both buffers). Buffers
 * given back are kept, the latest first, up to a budget of bytes for the next reader to take; the rest,
 * and any a reader never gives back, are left to the collector. Thread-safe.
 */
final class ReadBuffers {
    /** Capacities are rounded up to this, so that a frame a little larger than the last reuses its buffer. */
    private static final int GRANULE = 64 * 1024;

    private final long budget;
    private final Deque<ByteBuffer> kept = new ArrayDeque<>();
    private long keptBytes;

    /** Keeps up to {@code budget} bytes of buffers given back. */
    ReadBuffers(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must not be negative: " + budget);
        }
        this.budget = budget;
    }

    /**
     * A cleared buffer of at least {@code capacity} bytes: the smallest kept one that is large enough, else a
     * new one.
     */
    ByteBuffer take(int capacity) {
        synchronized (this) {
            ByteBuffer best = null;
            for (ByteBuffer buffer : kept) {
                if (buffer.capacity() >= capacity && (best == null || buffer.capacity() < best.capacity())) {
                    best = buffer;
                }
            }
            if (best != null) {
                kept.removeFirstOccurrence(best);
                keptBytes -= best.capacity();
                return best.clear();
            }
        }
        long rounded = ((long) capacity + GRANULE - 1) / GRANULE * GRANULE;
        return ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE, rounded));
    }

    /** Takes back a buffer {@link #take} lent; its holder must not use it or views of it again. */
    void giveBack(ByteBuffer buffer) {
        synchronized (this) {
            if (keptBytes + buffer.capacity() <= budget) {
                kept.push(buffer);
                keptBytes += buffer.capacity();
            }
        }
    }
}
