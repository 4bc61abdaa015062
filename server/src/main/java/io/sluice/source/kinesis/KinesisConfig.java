package io.sluice.source.kinesis;

import static java.util.Objects.requireNonNull;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.HttpUrl;
import io.sluice.aws.RoleAssumption;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How {@link KinesisConnector} reaches Kinesis Data Streams: the endpoint (absent: AWS's regional one),
 * the region (absent: the one in each stream's ARN), static credentials (absent: the SDK's default
 * chain), when a stream's {@code RoleARN} is assumed through STS (the same rule as S3's and Lambda's),
 * how long an idle shard waits between two {@code GetRecords} calls, how many records one call asks for
 * ({@code Limit}), and how many {@code GetRecords} answers (up to 10 MiB each) are held at once over
 * every shard of every stream: a reader waits its turn beyond that.
 */
public record KinesisConfig(
        Optional<URI> endpoint,
        Optional<String> region,
        Optional<AccessKeys> credentials,
        RoleAssumption roleAssumption,
        Duration pollInterval,
        int recordsPerCall,
        int batchesInFlight) {
    /** Firehose polls each shard about once a second (delivery spec §2.2). */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    /** The most records one GetRecords call returns: Kinesis's own limit. */
    public static final int MAX_RECORDS_PER_CALL = 10_000;

    /** GetRecords answers held at once: 64 × 10 MiB at the very worst. */
    public static final int DEFAULT_BATCHES_IN_FLIGHT = 64;

    public KinesisConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(roleAssumption, "roleAssumption is null");
        requireNonNull(pollInterval, "pollInterval is null");
        endpoint.ifPresent(uri -> HttpUrl.require(uri, "Kinesis endpoint"));
        if (region.isPresent() && region.get().isBlank()) {
            throw new IllegalArgumentException("region is empty");
        }
        if (!pollInterval.isPositive()) {
            throw new IllegalArgumentException("the poll interval must be positive: " + pollInterval);
        }
        if (recordsPerCall < 1 || recordsPerCall > MAX_RECORDS_PER_CALL) {
            throw new IllegalArgumentException(
                    "records per GetRecords call must be from 1 to " + MAX_RECORDS_PER_CALL + ": " + recordsPerCall);
        }
        if (batchesInFlight < 1) {
            throw new IllegalArgumentException("batches in flight must be at least 1: " + batchesInFlight);
        }
    }

    /** AWS in each stream's region, the default credentials chain, roles assumed, Firehose's pace. */
    public static KinesisConfig aws() {
        return new KinesisConfig(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                RoleAssumption.AUTO,
                DEFAULT_POLL_INTERVAL,
                MAX_RECORDS_PER_CALL,
                DEFAULT_BATCHES_IN_FLIGHT);
    }

    /** A Kinesis-compatible service at {@code endpoint}, signed with {@code credentials}. */
    public static KinesisConfig of(URI endpoint, AccessKeys credentials) {
        return new KinesisConfig(
                Optional.of(endpoint),
                Optional.empty(),
                Optional.of(credentials),
                RoleAssumption.AUTO,
                DEFAULT_POLL_INTERVAL,
                MAX_RECORDS_PER_CALL,
                DEFAULT_BATCHES_IN_FLIGHT);
    }

    public KinesisConfig withRecordsPerCall(int limit) {
        return new KinesisConfig(endpoint, region, credentials, roleAssumption, pollInterval, limit, batchesInFlight);
    }

    public KinesisConfig withPollInterval(Duration interval) {
        return new KinesisConfig(
                endpoint, region, credentials, roleAssumption, interval, recordsPerCall, batchesInFlight);
    }
}
