package io.sluice.destination;

import static java.util.Objects.requireNonNull;

import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.processor.RecordProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the engine treats the batches of one destination: how they are cut, how long a failing batch is
 * retried, where records go that leave the main path, and the names delivery is published under.
 *
 * @param hints when a batch is flushed
 * @param maxRecords the most records in one batch (an HTTP request carries at most 10,000)
 * @param retry how long a batch that may still succeed is retried before the engine gives up on it
 * @param errorOutput where records given up on are written as error documents; empty: they are not
 * @param backupAll where a copy of every record is written ({@code S3BackupMode} {@code AllData})
 * @param errorLocation where records that fail in the processor stage are written as error documents
 * @param processors the processor stage, in AWS's order (built anew per policy: processors keep state)
 * @param maxPartitions the most partitions (batches of distinct partition keys) a stream fills at once;
 *     records of further ones go to the error output as {@code activePartitionExceeded}
 * @param metrics the destination's delivery metrics
 */
public record DeliveryPolicy(
        BufferingHints hints,
        long maxRecords,
        Retry retry,
        Optional<ErrorOutput> errorOutput,
        Optional<S3DestinationSpec> backupAll,
        S3DestinationSpec errorLocation,
        List<RecordProcessor> processors,
        int maxPartitions,
        DeliveryMetricNames metrics) {
    /** Firehose's default limit of active partitions per stream (delivery spec §7.5). */
    public static final int DEFAULT_MAX_PARTITIONS = 500;

    /** How long a failing batch is retried; the engine owns the backoff between attempts. */
    public sealed interface Retry {
        /** Until the data outlives the record log's retention, with the storage backoff (S3). */
        record UntilExpiry() implements Retry {}

        /**
         * Until {@code budget} of waiting between attempts is spent, with Firehose's ±15 % doubling
         * schedule (HTTP endpoint {@code RetryOptions.DurationInSeconds}); zero gives up after one attempt.
         */
        record ForDuration(Duration budget) implements Retry {
            public ForDuration {
                requireNonNull(budget, "budget is null");
                if (budget.isNegative()) {
                    throw new IllegalArgumentException("budget must not be negative: " + budget);
                }
            }
        }
    }

    /** Error documents of {@code layout}, under {@code location}'s error prefix, of {@code type}. */
    public record ErrorOutput(S3DestinationSpec location, String type, ErrorDocuments.Layout layout) {
        public ErrorOutput {
            requireNonNull(location, "location is null");
            requireNonNull(type, "type is null");
            requireNonNull(layout, "layout is null");
        }
    }

    public DeliveryPolicy {
        requireNonNull(hints, "hints is null");
        requireNonNull(retry, "retry is null");
        requireNonNull(errorOutput, "errorOutput is null");
        requireNonNull(backupAll, "backupAll is null");
        requireNonNull(errorLocation, "errorLocation is null");
        processors = List.copyOf(processors);
        requireNonNull(metrics, "metrics is null");
        if (maxRecords < 1 || maxPartitions < 1) {
            throw new IllegalArgumentException("maxRecords and maxPartitions must be at least 1");
        }
    }

    /** The retry budget of {@link Retry.ForDuration}; empty: retried until the data outlives the retention. */
    public Optional<Duration> retryBudget() {
        return retry instanceof Retry.ForDuration(Duration budget) ? Optional.of(budget) : Optional.empty();
    }
}
