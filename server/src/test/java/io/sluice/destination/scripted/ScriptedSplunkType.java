package io.sluice.destination.scripted;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
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
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A destination type registered only by tests, to show that a destination is one package: it claims
 * the model's {@code SplunkDestinationConfiguration} / {@code SplunkDestinationUpdate}, which Sluice's
 * own list does not, and delivers into a {@link MemoryDestination.Sink}. It reads {@code HECEndpoint},
 * {@code HECEndpointType}, {@code HECToken} (required here), {@code BufferingHints} (AWS's Splunk
 * defaults: 5 MiB, 60 s), {@code RetryOptions} (300 s), {@code S3BackupMode} and
 * {@code S3Configuration}; the rest of the shape is ignored.
 */
final class ScriptedSplunkType implements DestinationType<SplunkSpec> {
    static final String CONFIGURATION = "SplunkDestinationConfiguration";
    static final DeliveryMetricNames METRICS = DeliveryMetricNames.of("DeliveryToSplunk");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Splunk's error documents end with {@code EventId}: the record's position and subsequence number. */
    private static final ErrorDocuments.Layout ERROR_LAYOUT = new ErrorDocuments.Layout() {
        @Override
        public void afterRawData(JsonGenerator json, ErrorDocuments.Origin record) throws IOException {
            json.writeStringField("EventId", record.position() + "." + record.subsequence());
        }
    };

    private static final long DEFAULT_SIZE_MIB = 5;
    private static final long DEFAULT_INTERVAL_SECONDS = 60;
    private static final long DEFAULT_RETRY_SECONDS = 300;

    private final MemoryDestination.Sink sink;

    ScriptedSplunkType(MemoryDestination.Sink sink) {
        this.sink = requireNonNull(sink, "sink is null");
    }

    @Override
    public Class<SplunkSpec> specClass() {
        return SplunkSpec.class;
    }

    @Override
    public List<String> configurationMembers() {
        return List.of(CONFIGURATION);
    }

    @Override
    public List<String> updateMembers() {
        return List.of("SplunkDestinationUpdate");
    }

    @Override
    public String nounPhrase() {
        return "a Splunk destination";
    }

    @Override
    public SplunkSpec parse(String member, JsonNode configuration) {
        if (!configuration.hasNonNull("HECToken")) {
            throw new FirehoseException(ErrorCode.INVALID_ARGUMENT, "HECToken is required.");
        }
        JsonNode hints = configuration.path("BufferingHints");
        return new SplunkSpec(
                configuration.path("HECEndpoint").asText(),
                configuration.path("HECEndpointType").asText(),
                configuration.path("HECToken").asText(),
                new BufferingHints(
                        DataSize.ofMebibytes(hints.path("SizeInMBs").asLong(DEFAULT_SIZE_MIB)),
                        Duration.ofSeconds(hints.path("IntervalInSeconds").asLong(DEFAULT_INTERVAL_SECONDS))),
                Duration.ofSeconds(configuration
                        .path("RetryOptions")
                        .path("DurationInSeconds")
                        .asLong(DEFAULT_RETRY_SECONDS)),
                configuration.path("S3BackupMode").asText("FailedEventsOnly").equals("AllEvents"),
                S3DestinationCodec.parse(configuration.path("S3Configuration")));
    }

    /** Members of the update replace the current ones; {@code S3Update} merges member by member. */
    @Override
    public SplunkSpec merge(SplunkSpec current, String member, JsonNode update) {
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
        return parse(CONFIGURATION, merged);
    }

    @Override
    public ObjectNode render(SplunkSpec spec) {
        ObjectNode node = description(spec);
        node.put("HECToken", spec.token());
        node.set("S3Configuration", node.remove("S3DestinationDescription"));
        return node;
    }

    /** {@code SplunkDestinationDescription}, without the token. */
    @Override
    public void describe(SplunkSpec spec, ObjectNode destinationDescription) {
        destinationDescription.set("SplunkDestinationDescription", description(spec));
    }

    private static ObjectNode description(SplunkSpec spec) {
        ObjectNode node = JSON.objectNode();
        node.put("HECEndpoint", spec.endpoint());
        node.put("HECEndpointType", spec.endpointType());
        node.putObject("BufferingHints")
                .put("SizeInMBs", spec.hints().size().toMebibytes())
                .put("IntervalInSeconds", spec.hints().interval().toSeconds());
        node.putObject("RetryOptions")
                .put("DurationInSeconds", spec.retryDuration().toSeconds());
        node.put("S3BackupMode", spec.allEvents() ? "AllEvents" : "FailedEventsOnly");
        node.set("S3DestinationDescription", S3DestinationCodec.describe(spec.s3()));
        return node;
    }

    @Override
    public DeliveryPolicy policy(DeliveryStream stream, SplunkSpec spec) {
        return new DeliveryPolicy(
                spec.hints(),
                Long.MAX_VALUE,
                new DeliveryPolicy.Retry.ForDuration(spec.retryDuration()),
                Optional.of(new DeliveryPolicy.ErrorOutput(spec.s3(), "splunk-failed", ERROR_LAYOUT)),
                spec.allEvents() ? Optional.of(spec.s3()) : Optional.empty(),
                spec.s3(),
                List.of(),
                DeliveryPolicy.DEFAULT_MAX_PARTITIONS,
                METRICS);
    }

    @Override
    public Destination create(DeliveryStream stream, SplunkSpec spec) {
        return new MemoryDestination(stream.ref().name(), spec, sink);
    }
}
