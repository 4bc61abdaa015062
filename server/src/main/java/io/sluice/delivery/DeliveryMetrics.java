package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.HttpEndpointDestinationSpec;
import io.sluice.catalog.S3DestinationSpec;
import io.sluice.catalog.StreamRef;
import io.sluice.metrics.Metrics;
import io.sluice.metrics.StreamMetric;
import java.time.Duration;

/**
 * Publishes delivery under Firehose's metric names: {@code DeliveryToS3.*} for S3 streams,
 * {@code DeliveryToHttpEndpoint.*} for HTTP endpoint streams, and {@code BackupToS3.Records} (and
 * {@code .Bytes} for backup copies) for backups and error documents. A {@code .Success} ratio is exposed as its two counters, attempts and
 * successes, whose ratio over any period is the success rate. {@code DeliveryFailed.Records} counts
 * records given up on (written as error documents, or discarded after a 413).
 */
public final class DeliveryMetrics implements DeliveryListener {
    private final Metrics metrics;

    public DeliveryMetrics(Metrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public void delivered(DeliveryStream stream, long records, long bytes, Duration freshness) {
        StreamRef name = stream.ref();
        switch (stream.destination().spec()) {
            case S3DestinationSpec s3 -> {
                metrics.add(StreamMetric.DELIVERY_TO_S3_ATTEMPTS, name, 1);
                metrics.add(StreamMetric.DELIVERY_TO_S3_SUCCESSES, name, 1);
                metrics.add(StreamMetric.DELIVERY_TO_S3_RECORDS, name, records);
                metrics.add(StreamMetric.DELIVERY_TO_S3_BYTES, name, bytes);
            }
            case HttpEndpointDestinationSpec endpoint -> {
                metrics.add(StreamMetric.DELIVERY_TO_HTTP_ENDPOINT_ATTEMPTS, name, 1);
                metrics.add(StreamMetric.DELIVERY_TO_HTTP_ENDPOINT_SUCCESSES, name, 1);
                metrics.add(StreamMetric.DELIVERY_TO_HTTP_ENDPOINT_RECORDS, name, records);
                metrics.add(StreamMetric.DELIVERY_TO_HTTP_ENDPOINT_BYTES, name, bytes);
                metrics.add(StreamMetric.DELIVERY_TO_HTTP_ENDPOINT_PROCESSED_RECORDS, name, records);
                metrics.add(StreamMetric.DELIVERY_TO_HTTP_ENDPOINT_PROCESSED_BYTES, name, bytes);
            }
        }
    }

    @Override
    public void retrying(DeliveryStream stream, String errorCode) {
        StreamRef name = stream.ref();
        switch (stream.destination().spec()) {
            case S3DestinationSpec s3 -> metrics.add(StreamMetric.DELIVERY_TO_S3_ATTEMPTS, name, 1);
            case HttpEndpointDestinationSpec endpoint ->
                metrics.add(StreamMetric.DELIVERY_TO_HTTP_ENDPOINT_ATTEMPTS, name, 1);
        }
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
    public void expired(DeliveryStream stream, long records, long bytes) {
        metrics.add(StreamMetric.EXPIRED_RECORDS, stream.ref(), records);
        metrics.add(StreamMetric.EXPIRED_BYTES, stream.ref(), bytes);
    }

    /** The {@code DataFreshness} gauge of the stream's destination. */
    public static StreamMetric dataFreshness(DeliveryStream stream) {
        return switch (stream.destination().spec()) {
            case S3DestinationSpec s3 -> StreamMetric.DELIVERY_TO_S3_DATA_FRESHNESS;
            case HttpEndpointDestinationSpec endpoint -> StreamMetric.DELIVERY_TO_HTTP_ENDPOINT_DATA_FRESHNESS;
        };
    }
}
