package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.BufferingHints;
import io.sluice.catalog.DestinationSpec;
import io.sluice.catalog.HttpEndpointDestinationSpec;
import io.sluice.catalog.S3DestinationSpec;
import io.sluice.processor.AppendDelimiter;
import io.sluice.processor.RecordProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the engine treats the batches of one destination: how they are cut, how long a failing batch is
 * retried, and where records go that leave the main path.
 *
 * @param maxRecords the most records in one batch (an HTTP request carries at most 10,000)
 * @param retryBudget how long a batch is retried, counting only the waits between attempts, before
 *     the engine gives up on it; empty: until the data outlives the retention
 * @param errorOutput where records given up on are written as error documents; empty: they are not
 * @param backupAll where a copy of every record is written ({@code S3BackupMode} {@code AllData})
 * @param errorLocation where records that fail in the processor stage are written as error documents
 * @param processors the processor stage, in order (built anew per policy: processors keep state)
 * @param maxPartitions the most partitions (buffers of distinct partition keys) a stream fills at once;
 *     records of further ones go to the error output as {@code activePartitionExceeded}
 */
record DeliveryPolicy(
        BufferingHints hints,
        long maxRecords,
        Optional<Duration> retryBudget,
        Backoff backoff,
        Optional<ErrorOutput> errorOutput,
        Optional<S3DestinationSpec> backupAll,
        S3DestinationSpec errorLocation,
        List<RecordProcessor> processors,
        int maxPartitions) {
    /** Firehose's default limit of active partitions per stream (delivery spec §7.5). */
    static final int DEFAULT_MAX_PARTITIONS = 500;

    /** Error documents of {@code layout}, under {@code location}'s error prefix, of {@code type}. */
    record ErrorOutput(S3DestinationSpec location, String type, ErrorDocuments.Layout layout) {
        ErrorOutput {
            requireNonNull(location, "location is null");
            requireNonNull(type, "type is null");
            requireNonNull(layout, "layout is null");
        }
    }

    DeliveryPolicy {
        requireNonNull(hints, "hints is null");
        requireNonNull(retryBudget, "retryBudget is null");
        requireNonNull(backoff, "backoff is null");
        requireNonNull(errorOutput, "errorOutput is null");
        requireNonNull(backupAll, "backupAll is null");
        requireNonNull(errorLocation, "errorLocation is null");
        processors = List.copyOf(processors);
        if (maxRecords < 1 || maxPartitions < 1) {
            throw new IllegalArgumentException("maxRecords and maxPartitions must be at least 1");
        }
    }

    static DeliveryPolicy of(DestinationSpec spec, DeliveryConfig config) {
        return switch (spec) {
            case S3DestinationSpec s3 ->
                new DeliveryPolicy(
                        s3.bufferingHints(),
                        Long.MAX_VALUE,
                        Optional.empty(),
                        new Backoff(config.minBackoff(), config.maxBackoff(), Backoff.Jitter.HALF_TO_FULL),
                        Optional.empty(),
                        s3.backupEnabled() ? s3.backup() : Optional.empty(),
                        s3,
                        s3.appendsDelimiter() ? List.of(new AppendDelimiter()) : List.of(),
                        DEFAULT_MAX_PARTITIONS);
            case HttpEndpointDestinationSpec http ->
                new DeliveryPolicy(
                        http.bufferingHints(),
                        10_000,
                        Optional.of(http.retryDuration()),
                        new Backoff(config.minBackoff(), config.budgetedMaxBackoff(), Backoff.Jitter.FIFTEEN_PERCENT),
                        Optional.of(new ErrorOutput(
                                http.s3(), "http-endpoint-failed", ErrorDocuments.Layout.HTTP_ENDPOINT)),
                        http.backupMode() == HttpEndpointDestinationSpec.BackupMode.ALL_DATA
                                ? Optional.of(http.s3())
                                : Optional.empty(),
                        http.s3(),
                        List.of(),
                        DEFAULT_MAX_PARTITIONS);
        };
    }
}
