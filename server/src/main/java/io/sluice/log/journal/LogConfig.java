package io.sluice.log.journal;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import io.sluice.log.LogFullException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link JournalLog} stores data; validated on construction.
 *
 * @param directory holds the segment files and the checkpoint; created if missing; one log per
 *     directory (a lock file keeps a second process out)
 * @param segmentSize a segment is rolled when the next frame would cross this size (a single frame
 *     larger than it gets a segment of its own); 1 KiB to 1 GiB
 * @param fsyncPolicy when appends are forced to disk
 * @param retention data whose arrival time is older than this is dropped, delivered or not (Firehose
 *     keeps undelivered data 24 hours)
 * @param maxLogSize disk budget of all segment files; an append that would exceed it fails with
 *     {@link LogFullException}; at least two segments
 */
public record LogConfig(
        Path directory, DataSize segmentSize, FsyncPolicy fsyncPolicy, Duration retention, DataSize maxLogSize) {
    public static final DataSize DEFAULT_SEGMENT_SIZE = DataSize.ofMebibytes(128);
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    public static final DataSize DEFAULT_MAX_LOG_SIZE = DataSize.ofGibibytes(16);

    static final DataSize MIN_SEGMENT_SIZE = DataSize.ofKibibytes(1);
    static final DataSize MAX_SEGMENT_SIZE = DataSize.ofGibibytes(1);

    public LogConfig {
        requireNonNull(directory, "directory is null");
        requireNonNull(segmentSize, "segmentSize is null");
        requireNonNull(fsyncPolicy, "fsyncPolicy is null");
        requireNonNull(retention, "retention is null");
        requireNonNull(maxLogSize, "maxLogSize is null");
        if (segmentSize.compareTo(MIN_SEGMENT_SIZE) < 0 || segmentSize.compareTo(MAX_SEGMENT_SIZE) > 0) {
            throw new IllegalArgumentException("segment size must be between " + MIN_SEGMENT_SIZE + " and "
                    + MAX_SEGMENT_SIZE + ": " + segmentSize);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        if (maxLogSize.bytes() / 2 < segmentSize.bytes()) {
            throw new IllegalArgumentException(
                    "max log size must hold at least two segments of " + segmentSize + ": " + maxLogSize);
        }
    }

    /** The defaults: 128 MiB segments, fsync before acknowledging, 24 h retention, 16 GiB budget. */
    public static LogConfig defaults(Path directory) {
        return new LogConfig(
                directory, DEFAULT_SEGMENT_SIZE, FsyncPolicy.ALWAYS, DEFAULT_RETENTION, DEFAULT_MAX_LOG_SIZE);
    }

    public LogConfig withSegmentSize(DataSize size) {
        return new LogConfig(directory, size, fsyncPolicy, retention, maxLogSize);
    }

    public LogConfig withFsyncPolicy(FsyncPolicy policy) {
        return new LogConfig(directory, segmentSize, policy, retention, maxLogSize);
    }

    public LogConfig withRetention(Duration duration) {
        return new LogConfig(directory, segmentSize, fsyncPolicy, duration, maxLogSize);
    }

    public LogConfig withMaxLogSize(DataSize size) {
        return new LogConfig(directory, segmentSize, fsyncPolicy, retention, size);
    }
}
