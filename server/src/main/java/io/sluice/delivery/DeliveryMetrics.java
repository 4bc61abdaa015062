package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.StreamRef;
import io.sluice.destination.DeliveryMetricNames;
import io.sluice.destination.DestinationRegistry;
import io.sluice.metrics.Metric;
import io.sluice.metrics.Metrics;
import io.sluice.metrics.StreamMetric;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes delivery under Firehose's metric names: each destination's own (its policy's
 * {@link DeliveryMetricNames}, e.g. {@code DeliveryToS3.*}), plus {@code BackupToS3.Records} for
 * backups and error documents the engine writes ({@code BackupToS3.Bytes} for backup copies). A {@code .Success} ratio is exposed as its two
 * counters, attempts and successes, whose ratio over any period is the success rate.
 * {@code DeliveryFailed.Records} counts records given up on (written as error documents, or discarded
 * after a 413).
 */
public final class DeliveryMetrics implements DeliveryListener {
    private final Metrics metrics;
    private final DestinationRegistry destinations;
    /** The partition figures of each stream's last pass, read by its two gauges. */
    private final Map<StreamRef, PartitionFigures> partitions = new ConcurrentHashMap<>();
    /**
     * Each stream's metric names, read from the policy of the configuration they were read for: building
     * a policy builds its processors (a {@code MetadataExtraction} query is compiled, jq's builtins
     * loaded), far too slow to do for every batch.
     */
    private final Map<StreamRef, Names> names = new ConcurrentHashMap<>();

    private record PartitionFigures(AtomicInteger active, AtomicInteger limit, AtomicInteger exceeded) {}

    private record Names(String uid, long version, DeliveryMetricNames names) {}

    public DeliveryMetrics(Metrics metrics, DestinationRegistry destinations) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.destinations = requireNonNull(destinations, "destinations is null");
    }

    @Override
    public void delivered(DeliveryStream stream, long records, long bytes, Duration freshness) {
        StreamRef name = stream.ref();
        DeliveryMetricNames names = names(stream);
        metrics.add(names.attempts(), name, 1);
        metrics.add(names.successes(), name, 1);
        metrics.add(names.records(), name, records);
        metrics.add(names.bytes(), name, bytes);
        for (Metric metric : names.alsoWithRecords()) {
            metrics.add(metric, name, records);
        }
        for (Metric metric : names.alsoWithBytes()) {
            metrics.add(metric, name, bytes);
        }
        for (Metric metric : names.alsoPerBatch()) {
            metrics.add(metric, name, 1);
        }
    }

    @Override
    public void retrying(DeliveryStream stream, String errorCode) {
        metrics.add(names(stream).attempts(), stream.ref(), 1);
    }

    @Override
    public void failed(DeliveryStream stream, long records, String errorCode, boolean errorOutput) {
        metrics.add(StreamMetric.DELIVERY_FAILED_RECORDS, stream.ref(), records);
    }

    @Override
    public void backedUp(DeliveryStream stream, long records, long bytes, boolean errorOutput) {
        metrics.add(StreamMetric.BACKUP_TO_S3_RECORDS, stream.ref(), records);
        if (bytes > 0) {
            metrics.add(StreamMetric.BACKUP_TO_S3_BYTES, stream.ref(), bytes);
        }
    }

    @Override
    public void partitions(DeliveryStream stream, int active, int limit, boolean exceeded) {
        PartitionFigures figures = partitions.computeIfAbsent(
                stream.ref(),
                ref -> new PartitionFigures(new AtomicInteger(), new AtomicInteger(), new AtomicInteger()));
        figures.active().set(active);
        figures.limit().set(limit);
        figures.exceeded().set(exceeded ? 1 : 0);
        metrics.gauge(StreamMetric.PARTITION_COUNT, stream.ref(), figures.active(), AtomicInteger::get);
        metrics.gauge(StreamMetric.ACTIVE_PARTITIONS_LIMIT, stream.ref(), figures.limit(), AtomicInteger::get);
        metrics.gauge(StreamMetric.PARTITION_COUNT_EXCEEDED, stream.ref(), figures.exceeded(), AtomicInteger::get);
    }

    @Override
    public void partitionFilled(DeliveryStream stream, double bytesPerSecond) {
        metrics.observe(StreamMetric.PER_PARTITION_THROUGHPUT, stream.ref(), bytesPerSecond);
    }

    @Override
    public void expired(DeliveryStream stream, long records, long bytes) {
        metrics.add(StreamMetric.EXPIRED_RECORDS, stream.ref(), records);
        metrics.add(StreamMetric.EXPIRED_BYTES, stream.ref(), bytes);
    }

    private DeliveryMetricNames names(DeliveryStream stream) {
        Names known = names.get(stream.ref());
        if (known == null || !known.uid().equals(stream.uid()) || known.version() != stream.version()) {
            known = new Names(
                    stream.uid(), stream.version(), destinations.policy(stream).metrics());
            names.put(stream.ref(), known);
        }
        return known.names();
    }
}
