package io.sluice.destination.splunk;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationSpec;
import io.sluice.destination.DeliveryMetricNames;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.Destination;
import io.sluice.destination.DestinationType;
import io.sluice.destination.ErrorDocuments;
import io.sluice.destination.http.HttpEndpointTransport;
import io.sluice.metrics.Metric;
import io.sluice.metrics.Metrics;
import io.sluice.processor.ProcessorStages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Splunk destinations ({@code SplunkDestinationConfiguration}): each buffer is one request to the HTTP
 * Event Collector, delivered once HEC acknowledges it; a failing batch is retried for
 * {@code RetryOptions.DurationInSeconds}, then its records go to the S3 configuration as
 * {@code splunk-failed} error documents; with {@code S3BackupMode} {@code AllEvents} every record is also
 * copied there. Any destination but a search one can be changed into Splunk by an update that says
 * everything a configuration says.
 */
public final class SplunkDestinationType implements DestinationType<SplunkDestinationSpec> {
    /** A buffer is one request, whatever its number of events. */
    private static final long MAX_RECORDS = Integer.MAX_VALUE;

    private static final String METRICS_PREFIX = "DeliveryToSplunk";
    private static final DeliveryMetricNames METRICS = DeliveryMetricNames.of(METRICS_PREFIX);

    /** The time from a request's start to HEC's acknowledgement of it, per delivered batch. */
    public static final Metric DATA_ACK_LATENCY = Metric.timer(METRICS_PREFIX + ".DataAckLatency");

    /**
     * After {@code rawData}: {@code EventId}, the record's stream position and its number among the
     * records a processor made of it, as {@code <position>.<subsequence>} (delivery spec §10.5).
     */
    static final ErrorDocuments.Layout ERROR_LAYOUT = new ErrorDocuments.Layout() {
        @Override
        public void afterRawData(JsonGenerator json, ErrorDocuments.Origin record) throws IOException {
            json.writeStringField("EventId", record.position() + "." + record.subsequence());
        }
    };

    private final HttpEndpointTransport transport;
    private final Duration acknowledgmentTimeoutLimit;
    private final Path staging;
    private final ProcessorStages processors;
    private final Metrics metrics;
    private final Clock clock;
    private final Supplier<UUID> uuids;

    /**
     * Destinations sending through {@code transport}, waiting for acknowledgements at most
     * {@code acknowledgmentTimeoutLimit} whatever a stream's timeout, staging request bodies in
     * {@code staging}, processing with {@code processors}, publishing acknowledgement latency to
     * {@code metrics}.
     */
    public SplunkDestinationType(
            HttpEndpointTransport transport,
            Duration acknowledgmentTimeoutLimit,
            Path staging,
            ProcessorStages processors,
            Metrics metrics,
            Clock clock,
            Supplier<UUID> uuids) {
        this.transport = requireNonNull(transport, "transport is null");
        this.acknowledgmentTimeoutLimit =
                requireNonNull(acknowledgmentTimeoutLimit, "acknowledgmentTimeoutLimit is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.processors = requireNonNull(processors, "processors is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
    }

    @Override
    public Class<SplunkDestinationSpec> specClass() {
        return SplunkDestinationSpec.class;
    }

    @Override
    public List<String> configurationMembers() {
        return List.of("SplunkDestinationConfiguration");
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
    public SplunkDestinationSpec parse(String member, JsonNode configuration) {
        return SplunkDestinationCodec.parse(configuration);
    }

    @Override
    public SplunkDestinationSpec merge(SplunkDestinationSpec current, String member, JsonNode update) {
        return SplunkDestinationCodec.merge(current, update);
    }

    @Override
    public Optional<SplunkDestinationSpec> convert(DestinationSpec current, String member, JsonNode update) {
        return Optional.of(SplunkDestinationCodec.fromUpdate(update));
    }

    /** The secret the catalog seals. */
    @Override
    public List<String> secrets() {
        return List.of("/HECToken");
    }

    @Override
    public ObjectNode render(SplunkDestinationSpec spec) {
        return SplunkDestinationCodec.render(spec);
    }

    @Override
    public void describe(SplunkDestinationSpec spec, ObjectNode destinationDescription) {
        destinationDescription.set("SplunkDestinationDescription", SplunkDestinationCodec.describe(spec));
    }

    @Override
    public DeliveryPolicy policy(DeliveryStream stream, SplunkDestinationSpec spec) {
        return new DeliveryPolicy(
                spec.bufferingHints(),
                MAX_RECORDS,
                new DeliveryPolicy.Retry.ForDuration(spec.retryDuration()),
                Optional.of(new DeliveryPolicy.ErrorOutput(spec.s3(), "splunk-failed", ERROR_LAYOUT)),
                spec.backupMode() == SplunkDestinationSpec.BackupMode.ALL_EVENTS
                        ? Optional.of(spec.s3())
                        : Optional.empty(),
                spec.s3(),
                processors.build(
                        stream,
                        spec.processing(),
                        SplunkDestinationCodec.processors(spec.s3().roleArn()),
                        Optional.empty()),
                DeliveryPolicy.DEFAULT_MAX_PARTITIONS,
                METRICS);
    }

    /** A destination on the stream's channel: the same GUID for the life of the stream, across restarts. */
    @Override
    public Destination create(DeliveryStream stream, SplunkDestinationSpec spec) {
        return new HecDestination(
                spec,
                UUID.nameUUIDFromBytes(("splunk-channel:" + stream.uid()).getBytes(UTF_8)),
                transport,
                staging,
                acknowledgmentTimeoutLimit,
                clock,
                latency -> metrics.record(DATA_ACK_LATENCY, stream.ref(), latency),
                uuids);
    }
}
