package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DestinationSpec;
import io.sluice.destination.BufferingHints;
import io.sluice.processor.Decompression;
import io.sluice.processor.Processing;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * A validated S3 destination: {@code ExtendedS3DestinationConfiguration}, or the older
 * {@code S3DestinationConfiguration}, which is a subset of it (AWS keeps both as extended S3).
 */
public record S3DestinationSpec(
        String roleArn,
        String bucketArn,
        Optional<S3Prefix> prefix,
        Optional<S3Prefix> errorOutputPrefix,
        BufferingHints bufferingHints,
        CompressionFormat compression,
        CloudWatchLogging cloudWatchLogging,
        Optional<Processing> processing,
        boolean backupEnabled,
        Optional<S3DestinationSpec> backup,
        Optional<String> fileExtension,
        Optional<String> customTimeZone,
        Optional<DynamicPartitioning> dynamicPartitioning)
        implements DestinationSpec {

    @Override
    public boolean backsUpAllRecords() {
        return backupEnabled;
    }

    @Override
    public boolean acceptsOnlyCloudWatchLogs() {
        return processing.map(p -> p.runs(Decompression.TYPE)).orElse(false);
    }

    /**
     * {@code DynamicPartitioningConfiguration} (delivery spec §7): whether records are routed by their
     * partition keys, and its {@code RetryOptions.DurationInSeconds} (echoed; S3 delivery is retried until
     * the data outlives the retention, see the README's deviations).
     */
    public record DynamicPartitioning(boolean enabled, Duration retryDuration) {
        /** AWS's default {@code RetryOptions.DurationInSeconds}. */
        public static final Duration DEFAULT_RETRY_DURATION = Duration.ofSeconds(300);

        public DynamicPartitioning {
            requireNonNull(retryDuration, "retryDuration is null");
        }
    }

    /** {@code CloudWatchLoggingOptions}; Sluice accepts it only disabled, and echoes the names. */
    public record CloudWatchLogging(Optional<String> logGroupName, Optional<String> logStreamName) {
        public static final CloudWatchLogging DISABLED = new CloudWatchLogging(Optional.empty(), Optional.empty());

        public CloudWatchLogging {
            requireNonNull(logGroupName, "logGroupName is null");
            requireNonNull(logStreamName, "logStreamName is null");
        }
    }

    public S3DestinationSpec {
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(bucketArn, "bucketArn is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(errorOutputPrefix, "errorOutputPrefix is null");
        requireNonNull(bufferingHints, "bufferingHints is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(cloudWatchLogging, "cloudWatchLogging is null");
        requireNonNull(processing, "processing is null");
        requireNonNull(backup, "backup is null");
        requireNonNull(fileExtension, "fileExtension is null");
        requireNonNull(customTimeZone, "customTimeZone is null");
        requireNonNull(dynamicPartitioning, "dynamicPartitioning is null");
        if (backupEnabled && backup.isEmpty()) {
            throw new IllegalArgumentException("backup enabled without a backup destination");
        }
    }

    /** Whether records are routed by their partition keys: dynamic partitioning is configured and enabled. */
    public boolean partitioned() {
        return dynamicPartitioning.map(DynamicPartitioning::enabled).orElse(false);
    }

    /** The bucket name: what follows {@code :::} in the bucket ARN. */
    public String bucket() {
        return bucketArn.substring(bucketArn.indexOf(":::") + 3);
    }

    /** The zone of prefixes and key suffixes: {@code CustomTimeZone}, UTC when absent or empty. */
    public ZoneId zone() {
        return customTimeZone.filter(z -> !z.isEmpty()).<ZoneId>map(ZoneId::of).orElse(ZoneOffset.UTC);
    }
}
