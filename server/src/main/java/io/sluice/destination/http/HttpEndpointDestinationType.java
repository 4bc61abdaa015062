package io.sluice.destination.http;

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
import io.sluice.metrics.Metric;
import io.sluice.processor.ProcessorStages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * HTTP endpoint destinations ({@code HttpEndpointDestinationConfiguration}, protocol 1.0): a request
 * carries at most 10,000 records; a failing batch is retried for {@code RetryOptions.DurationInSeconds},
 * then its records go to the S3 configuration as {@code http-endpoint-failed} error documents; with
 * {@code S3BackupMode} {@code AllData} every batch is also copied there. Any other destination can be
 * changed into an HTTP endpoint by an update that says everything a configuration says.
 */
public final class HttpEndpointDestinationType implements DestinationType<HttpEndpointDestinationSpec> {
    /** The most records one request carries. */
    private static final long MAX_RECORDS = 10_000;

    private static final String METRICS_PREFIX = "DeliveryToHttpEndpoint";
    private static final DeliveryMetricNames METRICS = DeliveryMetricNames.of(METRICS_PREFIX)
            .plus(
                    Metric.counter(METRICS_PREFIX + ".ProcessedRecords"),
                    Metric.counter(METRICS_PREFIX + ".ProcessedBytes"));

    private final HttpEndpointTransport transport;
    private final Path staging;
    private final ProcessorStages processors;
    private final Clock clock;
    private final Supplier<UUID> uuids;

    /**
     * Destinations sending through {@code transport}, staging request bodies in {@code staging},
     * processing with {@code processors}.
     */
    public HttpEndpointDestinationType(
            HttpEndpointTransport transport,
            Path staging,
            ProcessorStages processors,
            Clock clock,
            Supplier<UUID> uuids) {
        this.transport = requireNonNull(transport, "transport is null");
        this.processors = requireNonNull(processors, "processors is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
    }

    @Override
    public Class<HttpEndpointDestinationSpec> specClass() {
        return HttpEndpointDestinationSpec.class;
    }

    @Override
    public List<String> configurationMembers() {
        return List.of("HttpEndpointDestinationConfiguration");
    }

    @Override
    public List<String> updateMembers() {
        return List.of("HttpEndpointDestinationUpdate");
    }

    @Override
    public String nounPhrase() {
        return "an HTTP endpoint destination";
    }

    @Override
    public HttpEndpointDestinationSpec parse(String member, JsonNode configuration) {
        return HttpEndpointDestinationCodec.parse(configuration);
    }

    @Override
    public HttpEndpointDestinationSpec merge(HttpEndpointDestinationSpec current, String member, JsonNode update) {
        return HttpEndpointDestinationCodec.merge(current, update);
    }

    @Override
    public Optional<HttpEndpointDestinationSpec> convert(DestinationSpec current, String member, JsonNode update) {
        return Optional.of(HttpEndpointDestinationCodec.fromUpdate(update));
    }

    /** The secret the catalog seals. */
    @Override
    public List<String> secrets() {
        return List.of("/EndpointConfiguration/AccessKey");
    }

    @Override
    public ObjectNode render(HttpEndpointDestinationSpec spec) {
        return HttpEndpointDestinationCodec.render(spec);
    }

    @Override
    public void describe(HttpEndpointDestinationSpec spec, ObjectNode destinationDescription) {
        destinationDescription.set("HttpEndpointDestinationDescription", HttpEndpointDestinationCodec.describe(spec));
    }

    /**
     * After {@code rawData}: {@code subsequenceNumber}, the record's number among those a processor split
     * out of one, and {@code dataId}, its position in its stream as a decimal string.
     */
    public static final ErrorDocuments.Layout ERROR_LAYOUT = new ErrorDocuments.Layout() {
        @Override
        public void afterRawData(JsonGenerator json, ErrorDocuments.Origin record) throws IOException {
            json.writeNumberField("subsequenceNumber", record.subsequence());
            json.writeStringField("dataId", Long.toString(record.position()));
        }
    };

    @Override
    public DeliveryPolicy policy(DeliveryStream stream, HttpEndpointDestinationSpec spec) {
        return new DeliveryPolicy(
                spec.bufferingHints(),
                MAX_RECORDS,
                new DeliveryPolicy.Retry.ForDuration(spec.retryDuration()),
                Optional.of(new DeliveryPolicy.ErrorOutput(spec.s3(), "http-endpoint-failed", ERROR_LAYOUT)),
                spec.backupMode() == HttpEndpointDestinationSpec.BackupMode.ALL_DATA
                        ? Optional.of(spec.s3())
                        : Optional.empty(),
                spec.s3(),
                processors.build(
                        stream,
                        spec.processing(),
                        HttpEndpointDestinationCodec.processors(spec.roleArn()),
                        Optional.empty()),
                DeliveryPolicy.DEFAULT_MAX_PARTITIONS,
                METRICS);
    }

    @Override
    public Destination create(DeliveryStream stream, HttpEndpointDestinationSpec spec) {
        return new HttpEndpointDestination(stream, spec, transport, staging, clock, uuids);
    }
}
