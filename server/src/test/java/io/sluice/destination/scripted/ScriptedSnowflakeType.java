package io.sluice.destination.scripted;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DeliveryMetricNames;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.Destination;
import io.sluice.destination.DestinationType;
import io.sluice.destination.ErrorDocuments;
import io.sluice.destination.s3.S3DestinationCodec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A destination type registered only by tests, to show that a destination is one package: it claims
 * the model's {@code SnowflakeDestinationConfiguration} / {@code SnowflakeDestinationUpdate}, which
 * Sluice's own list does not, and delivers into a {@link MemoryDestination.Sink}. It reads
 * {@code AccountUrl}, {@code Database}, {@code Schema}, {@code Table} and {@code RoleARN} (required: the
 * model's validation refuses a configuration without them before the type reads it),
 * {@code User} (optional), {@code BufferingHints} (AWS's Snowflake defaults: 128 MiB, 0 s),
 * {@code RetryOptions} (AWS's default: 60 s), {@code S3BackupMode} ({@code FailedDataOnly} unless
 * {@code AllData}, which cannot go back, as on AWS) and {@code S3Configuration}; the rest of the shape,
 * the key pair included, is ignored, so nothing secret is stored or described.
 */
final class ScriptedSnowflakeType implements DestinationType<SnowflakeSpec> {
    static final String CONFIGURATION = "SnowflakeDestinationConfiguration";
    static final DeliveryMetricNames METRICS = DeliveryMetricNames.of("DeliveryToSnowflake");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static final long DEFAULT_SIZE_MIB = 128;
    private static final long DEFAULT_INTERVAL_SECONDS = 0;
    private static final long DEFAULT_RETRY_SECONDS = 60;

    private final MemoryDestination.Sink sink;

    ScriptedSnowflakeType(MemoryDestination.Sink sink) {
        this.sink = requireNonNull(sink, "sink is null");
    }

    @Override
    public Class<SnowflakeSpec> specClass() {
        return SnowflakeSpec.class;
    }

    @Override
    public List<String> configurationMembers() {
        return List.of(CONFIGURATION);
    }

    @Override
    public List<String> updateMembers() {
        return List.of("SnowflakeDestinationUpdate");
    }

    @Override
    public String nounPhrase() {
        return "a Snowflake destination";
    }

    @Override
    public SnowflakeSpec parse(String member, JsonNode configuration) {
        JsonNode hints = configuration.path("BufferingHints");
        return new SnowflakeSpec(
                configuration.get("AccountUrl").asText(),
                configuration.hasNonNull("User")
                        ? Optional.of(configuration.get("User").asText())
                        : Optional.empty(),
                configuration.get("Database").asText(),
                configuration.get("Schema").asText(),
                configuration.get("Table").asText(),
                configuration.get("RoleARN").asText(),
                new BufferingHints(
                        DataSize.ofMebibytes(hints.path("SizeInMBs").asLong(DEFAULT_SIZE_MIB)),
                        Duration.ofSeconds(hints.path("IntervalInSeconds").asLong(DEFAULT_INTERVAL_SECONDS))),
                Duration.ofSeconds(configuration
                        .path("RetryOptions")
                        .path("DurationInSeconds")
                        .asLong(DEFAULT_RETRY_SECONDS)),
                configuration.path("S3BackupMode").asText("FailedDataOnly").equals("AllData"),
                S3DestinationCodec.parse(configuration.get("S3Configuration")));
    }

    /**
     * Members of the update replace the current ones; {@code S3Update} merges member by member. An
     * {@code S3BackupMode} of {@code AllData} stays.
     */
    @Override
    public SnowflakeSpec merge(SnowflakeSpec current, String member, JsonNode update) {
        ObjectNode merged = render(current);
        update.properties().forEach(m -> {
            if (m.getValue().isNull()) {
                return;
            }
            if (m.getKey().equals("S3Update")) {
                m.getValue()
                        .properties()
                        .forEach(s3 -> ((ObjectNode) merged.get("S3Configuration")).set(s3.getKey(), s3.getValue()));
            } else {
                merged.set(m.getKey(), m.getValue());
            }
        });
        SnowflakeSpec next = parse(CONFIGURATION, merged);
        if (current.allData() && !next.allData()) {
            throw new FirehoseException(
                    ErrorCode.INVALID_ARGUMENT, "S3BackupMode cannot be changed from AllData to FailedDataOnly.");
        }
        return next;
    }

    @Override
    public ObjectNode render(SnowflakeSpec spec) {
        ObjectNode node = description(spec);
        node.set("S3Configuration", node.remove("S3DestinationDescription"));
        return node;
    }

    @Override
    public void describe(SnowflakeSpec spec, ObjectNode destinationDescription) {
        destinationDescription.set("SnowflakeDestinationDescription", description(spec));
    }

    private static ObjectNode description(SnowflakeSpec spec) {
        ObjectNode node = JSON.objectNode();
        node.put("AccountUrl", spec.accountUrl());
        spec.user().ifPresent(user -> node.put("User", user));
        node.put("Database", spec.database());
        node.put("Schema", spec.schema());
        node.put("Table", spec.table());
        node.put("RoleARN", spec.role());
        node.putObject("BufferingHints")
                .put("SizeInMBs", spec.hints().size().toMebibytes())
                .put("IntervalInSeconds", spec.hints().interval().toSeconds());
        node.putObject("RetryOptions")
                .put("DurationInSeconds", spec.retryDuration().toSeconds());
        node.put("S3BackupMode", spec.allData() ? "AllData" : "FailedDataOnly");
        node.set("S3DestinationDescription", S3DestinationCodec.describe(spec.s3()));
        return node;
    }

    @Override
    public DeliveryPolicy policy(DeliveryStream stream, SnowflakeSpec spec) {
        return new DeliveryPolicy(
                spec.hints(),
                Long.MAX_VALUE,
                new DeliveryPolicy.Retry.ForDuration(spec.retryDuration()),
                Optional.of(
                        new DeliveryPolicy.ErrorOutput(spec.s3(), "snowflake-failed", ErrorDocuments.Layout.STANDARD)),
                spec.allData() ? Optional.of(spec.s3()) : Optional.empty(),
                spec.s3(),
                List.of(),
                DeliveryPolicy.DEFAULT_MAX_PARTITIONS,
                METRICS);
    }

    @Override
    public Destination create(DeliveryStream stream, SnowflakeSpec spec) {
        return new MemoryDestination(stream.ref().name(), spec, sink);
    }
}
