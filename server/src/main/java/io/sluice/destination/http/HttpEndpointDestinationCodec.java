package io.sluice.destination.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationUpdates;
import io.sluice.destination.s3.S3DestinationCodec;
import io.sluice.processor.CloudWatchLogProcessing;
import io.sluice.processor.Decompression;
import io.sluice.processor.LambdaDefaults;
import io.sluice.processor.LambdaParameters;
import io.sluice.processor.ProcessingCodec;
import io.sluice.processor.SupportedProcessors;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns {@code HttpEndpointDestinationConfiguration} (already checked against the service model,
 * whose URL pattern decides whether {@code http://} is accepted) into an
 * {@link HttpEndpointDestinationSpec}, merges {@code HttpEndpointDestinationUpdate}s, and renders a spec:
 * as the configuration shape with AWS's defaults (what the catalog persists, access key included) and
 * as {@code HttpEndpointDestinationDescription} (no access key).
 */
public final class HttpEndpointDestinationCodec {
    /** AWS's defaults for {@code HttpEndpointBufferingHints}. */
    public static final BufferingHints DEFAULT_HINTS =
            new BufferingHints(DataSize.ofMebibytes(5), Duration.ofSeconds(300));

    /** AWS's default {@code RetryOptions.DurationInSeconds}. */
    public static final Duration DEFAULT_RETRY_DURATION = Duration.ofSeconds(300);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private HttpEndpointDestinationCodec() {}

    public static HttpEndpointDestinationSpec parse(JsonNode config) {
        if (!config.path("EndpointConfiguration").isObject()) {
            throw invalid("EndpointConfiguration is required for an HTTP endpoint destination.");
        }
        if (!config.path("S3Configuration").isObject()) {
            throw invalid("S3Configuration is required for an HTTP endpoint destination.");
        }
        if (config.path("SecretsManagerConfiguration").path("Enabled").asBoolean(false)) {
            throw invalid("SecretsManagerConfiguration is not supported by Sluice; set the AccessKey in"
                    + " EndpointConfiguration instead.");
        }
        JsonNode request = config.path("RequestConfiguration");
        return new HttpEndpointDestinationSpec(
                endpoint(config.path("EndpointConfiguration")),
                bufferingHints(config.path("BufferingHints")),
                config.path("RetryOptions").hasNonNull("DurationInSeconds")
                        ? Duration.ofSeconds(config.path("RetryOptions")
                                .get("DurationInSeconds")
                                .asLong())
                        : DEFAULT_RETRY_DURATION,
                text(request, "ContentEncoding")
                        .map(HttpEndpointDestinationSpec.ContentEncoding::valueOf)
                        .orElse(HttpEndpointDestinationSpec.ContentEncoding.NONE),
                commonAttributes(request.path("CommonAttributes")),
                text(config, "S3BackupMode")
                        .flatMap(HttpEndpointDestinationSpec.BackupMode::fromWire)
                        .orElse(HttpEndpointDestinationSpec.BackupMode.FAILED_DATA_ONLY),
                S3DestinationCodec.parse(config.path("S3Configuration")),
                text(config, "RoleARN"),
                S3DestinationCodec.cloudWatchLogging(config.path("CloudWatchLoggingOptions")),
                config.path("ProcessingConfiguration").isObject()
                        ? Optional.of(ProcessingCodec.parse(
                                config.path("ProcessingConfiguration"), processors(text(config, "RoleARN"))))
                        : Optional.empty());
    }

    /**
     * Applies an {@code HttpEndpointDestinationUpdate}: members it supplies replace the current ones;
     * {@code EndpointConfiguration} and {@code S3Update} merge member by member, so an update that
     * changes only the URL keeps the access key.
     */
    public static HttpEndpointDestinationSpec merge(HttpEndpointDestinationSpec current, JsonNode update) {
        ObjectNode merged = render(current);
        update.properties().forEach(member -> {
            JsonNode value = member.getValue();
            if (value.isNull()) {
                return;
            }
            switch (member.getKey()) {
                case "EndpointConfiguration" ->
                    DestinationUpdates.mergeInto((ObjectNode) merged.get("EndpointConfiguration"), value);
                case "S3Update" -> DestinationUpdates.mergeInto((ObjectNode) merged.get("S3Configuration"), value);
                default -> merged.set(member.getKey(), value);
            }
        });
        return parse(merged);
    }

    /**
     * Builds a spec from an {@code HttpEndpointDestinationUpdate} that changes another destination type
     * into an HTTP endpoint: it must then say everything a configuration says.
     */
    public static HttpEndpointDestinationSpec fromUpdate(JsonNode update) {
        ObjectNode config = DestinationUpdates.asConfiguration(update, "an HTTP endpoint");
        if (!config.path("EndpointConfiguration").hasNonNull("Url")) {
            throw invalid("EndpointConfiguration.Url is required when changing the destination to an HTTP endpoint.");
        }
        return parse(config);
    }

    /** The {@code HttpEndpointDestinationConfiguration} shape with AWS's defaults, access key included. */
    public static ObjectNode render(HttpEndpointDestinationSpec spec) {
        ObjectNode node = describe(spec);
        ObjectNode endpoint = (ObjectNode) node.get("EndpointConfiguration");
        spec.endpoint().accessKey().ifPresent(k -> endpoint.put("AccessKey", k));
        node.set("S3Configuration", node.remove("S3DestinationDescription"));
        spec.processing().ifPresent(p -> node.set("ProcessingConfiguration", ProcessingCodec.render(p)));
        return node;
    }

    /**
     * The processors HTTP endpoint destinations run, and the defaults of their Lambda processor: the
     * destination's role, a 1 MB and 60 s buffer.
     */
    public static SupportedProcessors processors(Optional<String> roleArn) {
        return new SupportedProcessors(
                List.of(Decompression.TYPE, CloudWatchLogProcessing.TYPE, LambdaParameters.TYPE),
                LambdaDefaults.standard(roleArn),
                "HTTP endpoint");
    }

    /** The {@code HttpEndpointDestinationDescription} shape: never the access key. */
    public static ObjectNode describe(HttpEndpointDestinationSpec spec) {
        ObjectNode node = JSON.objectNode();
        ObjectNode endpoint = node.putObject("EndpointConfiguration");
        endpoint.put("Url", spec.endpoint().url().toString());
        spec.endpoint().name().ifPresent(n -> endpoint.put("Name", n));
        ObjectNode hints = node.putObject("BufferingHints");
        hints.put("SizeInMBs", spec.bufferingHints().size().toMebibytes());
        hints.put("IntervalInSeconds", spec.bufferingHints().interval().toSeconds());
        ObjectNode logging = node.putObject("CloudWatchLoggingOptions").put("Enabled", false);
        spec.cloudWatchLogging().logGroupName().ifPresent(g -> logging.put("LogGroupName", g));
        spec.cloudWatchLogging().logStreamName().ifPresent(s -> logging.put("LogStreamName", s));
        ObjectNode request = node.putObject("RequestConfiguration");
        request.put("ContentEncoding", spec.contentEncoding().name());
        ArrayNode attributes = request.putArray("CommonAttributes");
        spec.commonAttributes()
                .forEach(a ->
                        attributes.addObject().put("AttributeName", a.name()).put("AttributeValue", a.value()));
        spec.processing()
                .ifPresent(p ->
                        node.set("ProcessingConfiguration", ProcessingCodec.describe(p, processors(spec.roleArn()))));
        spec.roleArn().ifPresent(r -> node.put("RoleARN", r));
        node.putObject("RetryOptions")
                .put("DurationInSeconds", spec.retryDuration().toSeconds());
        node.put("S3BackupMode", spec.backupMode().wireName());
        node.set("S3DestinationDescription", S3DestinationCodec.describe(spec.s3()));
        return node;
    }

    private static HttpEndpointDestinationSpec.Endpoint endpoint(JsonNode config) {
        String url = config.path("Url").asText();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("EndpointConfiguration.Url is not a valid URL.");
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw invalid("EndpointConfiguration.Url must be an https:// URL with a host.");
        }
        return new HttpEndpointDestinationSpec.Endpoint(uri, text(config, "Name"), text(config, "AccessKey"));
    }

    private static BufferingHints bufferingHints(JsonNode hints) {
        DataSize size = hints.hasNonNull("SizeInMBs")
                ? DataSize.ofMebibytes(hints.get("SizeInMBs").asLong())
                : DEFAULT_HINTS.size();
        Duration interval = hints.hasNonNull("IntervalInSeconds")
                ? Duration.ofSeconds(hints.get("IntervalInSeconds").asLong())
                : DEFAULT_HINTS.interval();
        return new BufferingHints(size, interval);
    }

    private static List<HttpEndpointDestinationSpec.CommonAttribute> commonAttributes(JsonNode list) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (JsonNode attribute : list) {
            String name = attribute.path("AttributeName").asText();
            if (byName.put(name, attribute.path("AttributeValue").asText("")) != null) {
                throw invalid("CommonAttributes must have unique AttributeNames; " + name + " repeats.");
            }
        }
        List<HttpEndpointDestinationSpec.CommonAttribute> attributes = new ArrayList<>();
        byName.forEach((name, value) -> attributes.add(new HttpEndpointDestinationSpec.CommonAttribute(name, value)));
        return attributes;
    }

    private static Optional<String> text(JsonNode node, String member) {
        JsonNode value = node.path(member);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
