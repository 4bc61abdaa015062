package io.sluice.server;

import io.sluice.log.journal.ExpiredData;
import io.sluice.log.journal.LogListener;
import io.sluice.metrics.Metrics;
import io.sluice.metrics.ServerMetric;
import java.time.Duration;

/** The local journal's events as server metrics: group commits, their size, fsync time, bytes written. */
final class LogMetrics implements LogListener {
    private final Metrics metrics;

    LogMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void groupWritten(int batches, long bytes, Duration fsync) {
        metrics.add(ServerMetric.LOG_GROUPS, 1);
        metrics.add(ServerMetric.LOG_GROUP_BATCHES, batches);
        metrics.add(ServerMetric.LOG_WRITTEN_BYTES, bytes);
        if (!fsync.isZero()) {
            metrics.record(ServerMetric.LOG_FSYNC, fsync);
        }
    }

    @Override
    public void expired(ExpiredData expired) {
        metrics.add(ServerMetric.LOG_EXPIRED_RECORDS, expired.records());
    }
}
