package io.sluice.delivery;

import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The commit rule of one stream: the committed position is the lowest one not yet finished. Positions
 * below {@link #readThrough} have been read and handed on; each record read then is held by the
 * {@link Hold}s (batches being filled or delivered, error output being written) that took it, and is
 * finished when every hold that took it has been released: delivered, or disposed of (error output,
 * discarded, expired). So a commit never passes a record that is still on its way anywhere, whatever
 * order batches and partitions finish in. Thread-safe.
 */
final class CommitTracker {
    /** Holds the records of one unit of work from its lowest position on. */
    final class Hold {
        private final long lowest;

        private Hold(long lowest) {
            this.lowest = lowest;
        }

        long lowest() {
            return lowest;
        }

        /** The unit's records are finished: returns the new commit position when it moved. */
        OptionalLong release() {
            synchronized (CommitTracker.this) {
                holds.remove(this);
                return advanced();
            }
        }
    }

    private final Set<Hold> holds = new HashSet<>();
    private long read;
    private long committable;

    CommitTracker(long start) {
        this.read = start;
        this.committable = start;
    }

    /** A hold on records from {@code lowest} on, taken before the reading passes them. */
    synchronized Hold hold(long lowest) {
        if (lowest < committable) {
            throw new IllegalStateException("cannot hold " + lowest + ": " + committable + " is committable");
        }
        Hold hold = new Hold(lowest);
        holds.add(hold);
        return hold;
    }

    /** Every record below {@code position} has been read and is held where it still needs to be. */
    synchronized OptionalLong readThrough(long position) {
        read = Math.max(read, position);
        return advanced();
    }

    /**
     * Reading starts again at {@code position} (after a failure dropped what was being filled from there
     * on): nothing from there is finished until read and held again.
     */
    synchronized void rewind(long position) {
        if (position < committable) {
            throw new IllegalStateException("cannot rewind to " + position + ": " + committable + " is committable");
        }
        read = Math.min(read, position);
    }

    private OptionalLong advanced() {
        long lowest = read;
        for (Hold hold : holds) {
            lowest = Math.min(lowest, hold.lowest);
        }
        if (lowest > committable) {
            committable = lowest;
            return OptionalLong.of(lowest);
        }
        return OptionalLong.empty();
    }
}
