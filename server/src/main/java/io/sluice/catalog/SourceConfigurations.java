package io.sluice.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.EpochSeconds;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link SourceSpec}s to and from AWS's shapes: {@code KinesisStreamSourceConfiguration} and {@code
 * MSKSourceConfiguration} as created (already checked against the service model), and the {@code
 * …SourceDescription}s of Describe. Timestamps are epoch seconds with a fraction, as the AWS JSON
 * protocol writes them.
 */
public final class SourceConfigurations {
    public static final String KINESIS_MEMBER = "KinesisStreamSourceConfiguration";
    public static final String MSK_MEMBER = "MSKSourceConfiguration";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SourceConfigurations() {}

    /** The member of CreateDeliveryStreamInput that configures a stream of {@code type}'s source, if any. */
    public static Optional<String> member(DeliveryStreamType type) {
        return switch (type) {
            case KINESIS_STREAM_AS_SOURCE -> Optional.of(KINESIS_MEMBER);
            case MSK_AS_SOURCE -> Optional.of(MSK_MEMBER);
            case DIRECT_PUT, DATABASE_AS_SOURCE -> Optional.empty();
        };
    }

    /** The source of a stream of {@code type} configured by {@code configuration}, not yet started. */
    public static SourceSpec parse(DeliveryStreamType type, JsonNode configuration) {
        return switch (type) {
            case KINESIS_STREAM_AS_SOURCE ->
                new SourceSpec.KinesisStream(
                        configuration.path("KinesisStreamARN").asText(),
                        configuration.path("RoleARN").asText(),
                        Optional.empty());
            case MSK_AS_SOURCE -> {
                JsonNode authentication = configuration.path("AuthenticationConfiguration");
                yield new SourceSpec.Msk(
                        configuration.path("MSKClusterARN").asText(),
                        configuration.path("TopicName").asText(),
                        authentication.path("RoleARN").asText(),
                        authentication.path("Connectivity").asText(),
                        timestamp(configuration.get("ReadFromTimestamp")),
                        Optional.empty());
            }
            case DIRECT_PUT, DATABASE_AS_SOURCE ->
                throw new IllegalArgumentException("no source configuration for " + type.wireName());
        };
    }

    /** The configuration member's value of {@code source}, as created. */
    public static ObjectNode configuration(SourceSpec source) {
        ObjectNode node = JSON.objectNode();
        switch (source) {
            case SourceSpec.KinesisStream kinesis -> {
                node.put("KinesisStreamARN", kinesis.streamArn());
                node.put("RoleARN", kinesis.roleArn());
            }
            case SourceSpec.Msk msk -> {
                node.put("MSKClusterARN", msk.clusterArn());
                node.put("TopicName", msk.topicName());
                node.putObject("AuthenticationConfiguration")
                        .put("RoleARN", msk.roleArn())
                        .put("Connectivity", msk.connectivity());
                msk.readFromTimestamp().ifPresent(t -> node.put("ReadFromTimestamp", EpochSeconds.of(t)));
            }
        }
        return node;
    }

    /** Describe's {@code Source} of a stream with {@code source}. */
    public static ObjectNode description(SourceSpec source) {
        ObjectNode described = configuration(source);
        source.deliveryStart().ifPresent(t -> described.put("DeliveryStartTimestamp", EpochSeconds.of(t)));
        ObjectNode node = JSON.objectNode();
        node.set(
                switch (source) {
                    case SourceSpec.KinesisStream kinesis -> "KinesisStreamSourceDescription";
                    case SourceSpec.Msk msk -> "MSKSourceDescription";
                },
                described);
        return node;
    }

    private static Optional<Instant> timestamp(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return Optional.empty();
        }
        return Optional.of(EpochSeconds.instant(node.decimalValue()));
    }
}
