package io.sluice.log.journal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One segment file as the index sees it. Mutable fields are guarded by the {@link LogIndex} lock,
 * except {@link #fileSize} which the writer owns while the segment is active.
 */
final class Segment {
    private final long sequence;
    private final Path path;

    /** Bytes in the file: the disk it uses. Written by the writer (active) or recovery (sealed). */
    private volatile long fileSize;

    // Guarded by the index lock.
    private long newestArrivalMillis = Long.MIN_VALUE;
    private boolean sealed;
    private final Map<StreamState, StreamSegment> liveStreams = new HashMap<>();

    Segment(long sequence, Path path, long fileSize) {
        this.sequence = sequence;
        this.path = path;
        this.fileSize = fileSize;
    }

    long sequence() {
        return sequence;
    }

    Path path() {
        return path;
    }

    long fileSize() {
        return fileSize;
    }

    void fileSize(long size) {
        this.fileSize = size;
    }

    long newestArrivalMillis() {
        return newestArrivalMillis;
    }

    void arrived(long arrivalMillis) {
        newestArrivalMillis = Math.max(newestArrivalMillis, arrivalMillis);
    }

    boolean sealed() {
        return sealed;
    }

    void seal() {
        sealed = true;
    }

    /** Live streams with data here, each with its part of this segment. */
    Map<StreamState, StreamSegment> liveStreams() {
        return liveStreams;
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}
