package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.DeliveryMetricNames;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.Destination;
import io.sluice.destination.DestinationType;
import io.sluice.metrics.Metric;
import io.sluice.processor.PartitionKeyCheck;
import io.sluice.processor.ProcessorStages;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * S3 destinations: {@code ExtendedS3DestinationConfiguration} and the older
 * {@code S3DestinationConfiguration}, kept alike as extended S3 (as AWS does). A batch is retried until
 * its data outlives the retention; the backup of {@code S3BackupMode} {@code Enabled} is written by the
 * destination with each batch, and counted as {@code BackupToS3.*}.
 */
public final class S3DestinationType implements DestinationType<S3DestinationSpec> {
    private static final DeliveryMetricNames METRICS =
            DeliveryMetricNames.of("DeliveryToS3").plusPerBatch(Metric.counter("DeliveryToS3.ObjectCount"));

    private final ObjectStore store;
    private final Path staging;
    private final ProcessorStages processors;
    private final int activePartitionsLimit;
    private final Clock clock;
    private final Supplier<UUID> uuids;

    /**
     * Destinations writing to {@code store}, staging objects in {@code staging}, processing with
     * {@code processors}; a stream partitioning dynamically fills at most {@code activePartitionsLimit}
     * partitions at once (delivery spec §7.5).
     */
    public S3DestinationType(
            ObjectStore store,
            Path staging,
            ProcessorStages processors,
            int activePartitionsLimit,
            Clock clock,
            Supplier<UUID> uuids) {
        this.store = requireNonNull(store, "store is null");
        this.processors = requireNonNull(processors, "processors is null");
        this.activePartitionsLimit = activePartitionsLimit;
        this.staging = requireNonNull(staging, "staging is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
    }

    @Override
    public Class<S3DestinationSpec> specClass() {
        return S3DestinationSpec.class;
    }

    @Override
    public List<String> configurationMembers() {
        return List.of("ExtendedS3DestinationConfiguration", "S3DestinationConfiguration");
    }

    @Override
    public List<String> updateMembers() {
        return List.of("ExtendedS3DestinationUpdate", "S3DestinationUpdate");
    }

    @Override
    public String nounPhrase() {
        return "an S3 destination";
    }

    @Override
    public S3DestinationSpec parse(String member, JsonNode configuration) {
        return S3DestinationCodec.parse(configuration);
    }

    @Override
    public S3DestinationSpec merge(S3DestinationSpec current, String member, JsonNode update) {
        return S3DestinationCodec.merge(current, update);
    }

    @Override
    public ObjectNode render(S3DestinationSpec spec) {
        return S3DestinationCodec.render(spec);
    }

    /** Both {@code S3DestinationDescription} and {@code ExtendedS3DestinationDescription}, as AWS answers. */
    @Override
    public void describe(S3DestinationSpec spec, ObjectNode destinationDescription) {
        destinationDescription.set("S3DestinationDescription", S3DestinationCodec.describe(spec));
        destinationDescription.set("ExtendedS3DestinationDescription", S3DestinationCodec.describeExtended(spec));
    }

    @Override
    public DeliveryPolicy policy(DeliveryStream stream, S3DestinationSpec spec) {
        return new DeliveryPolicy(
                spec.bufferingHints(),
                Long.MAX_VALUE,
                new DeliveryPolicy.Retry.UntilExpiry(),
                Optional.empty(),
                spec.backupEnabled() ? spec.backup() : Optional.empty(),
                spec,
                processors.build(
                        stream, spec.processing(), S3DestinationCodec.processors(spec.roleArn()), partitioning(spec)),
                activePartitionsLimit,
                METRICS);
    }

    /** For a partitioned stream, the check of the partition keys its prefix uses. */
    private static Optional<PartitionKeyCheck> partitioning(S3DestinationSpec spec) {
        if (!spec.partitioned()) {
            return Optional.empty();
        }
        S3Prefix prefix = spec.prefix().orElseThrow();
        return Optional.of(new PartitionKeyCheck(
                prefix.partitionKeys(S3Prefix.FROM_QUERY), prefix.partitionKeys(S3Prefix.FROM_LAMBDA)));
    }

    @Override
    public Destination create(DeliveryStream stream, S3DestinationSpec spec) {
        return new S3Destination(stream, spec, store, staging, clock, uuids);
    }
}
