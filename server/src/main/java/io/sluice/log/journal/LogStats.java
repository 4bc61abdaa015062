package io.sluice.log.journal;

/**
 * Counters since the log was opened, and its current size.
 *
 * @param appendedBatches appends acknowledged
 * @param appendedRecords records in them
 * @param groups groups written by the writer (each one write and at most one fsync per segment)
 * @param fsyncs forces of segment files
 * @param bytesWritten bytes written to segment files
 * @param diskBytes current size of all segment files
 * @param segments current number of segment files
 * @param failedGroups groups that failed with an I/O error and were rolled back
 */
public record LogStats(
        long appendedBatches,
        long appendedRecords,
        long groups,
        long fsyncs,
        long bytesWritten,
        long diskBytes,
        int segments,
        long failedGroups) {}
