package io.sluice.destination.splunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationUpdates;
import io.sluice.destination.s3.S3DestinationCodec;
import io.sluice.destination.splunk.SplunkDestinationSpec.BackupMode;
import io.sluice.destination.splunk.SplunkDestinationSpec.EndpointType;
import io.sluice.processor.CloudWatchLogProcessing;
import io.sluice.processor.Decompression;
import io.sluice.processor.LambdaDefaults;
import io.sluice.processor.LambdaParameters;
import io.sluice.processor.Processing;
import io.sluice.processor.ProcessingCodec;
import io.sluice.processor.SupportedProcessors;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns {@code SplunkDestinationConfiguration} (already checked against the service model) into a
 * {@link SplunkDestinationSpec}, merges {@code SplunkDestinationUpdate}s, and renders a spec: as the
 * configuration shape with AWS's defaults (what the catalog persists) and as
 * {@code SplunkDestinationDescription}, which, as on AWS, shows the {@code HECToken}. The rules the model
 * cannot express: an {@code http(s)} collector URL, a token (Sluice reads no secret from Secrets
 * Manager), both buffering hints or neither, and a backup mode that only goes from
 * {@code FailedEventsOnly} to {@code AllEvents}.
 */
public final class SplunkDestinationCodec {
    /** AWS's defaults for {@code SplunkBufferingHints} (firehose-api §5). */
    public static final BufferingHints DEFAULT_HINTS =
            new BufferingHints(DataSize.ofMebibytes(5), Duration.ofSeconds(60));

    /** AWS's default {@code HECAcknowledgmentTimeoutInSeconds}. */
    public static final Duration DEFAULT_ACKNOWLEDGMENT_TIMEOUT = Duration.ofSeconds(180);

    /** AWS's default {@code RetryOptions.DurationInSeconds} (the console's; the model states none). */
    public static final Duration DEFAULT_RETRY_DURATION = Duration.ofSeconds(300);

    /** The Lambda processor's buffer for Splunk destinations (delivery spec §6.1.1). */
    private static final DataSize LAMBDA_BUFFER = DataSize.ofKibibytes(256);

    private static final Duration LAMBDA_INTERVAL = Duration.ofSeconds(60);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SplunkDestinationCodec() {}

    public static SplunkDestinationSpec parse(JsonNode config) {
        if (config.path("SecretsManagerConfiguration").path("Enabled").asBoolean(false)) {
            throw invalid("SecretsManagerConfiguration is not supported by Sluice; set the HECToken instead.");
        }
        if (!config.hasNonNull("HECToken")) {
            throw invalid(
                    "HECToken is required for a Splunk destination: Sluice reads no token from Secrets" + " Manager.");
        }
        String role = config.path("S3Configuration").path("RoleARN").asText();
        return new SplunkDestinationSpec(
                hecEndpoint(config.path("HECEndpoint").asText()),
                EndpointType.fromWire(config.path("HECEndpointType").asText())
                        .orElseThrow(() -> invalid("HECEndpointType must be Raw or Event.")),
                config.get("HECToken").asText(),
                config.hasNonNull("HECAcknowledgmentTimeoutInSeconds")
                        ? Duration.ofSeconds(
                                config.get("HECAcknowledgmentTimeoutInSeconds").asLong())
                        : DEFAULT_ACKNOWLEDGMENT_TIMEOUT,
                config.path("RetryOptions").hasNonNull("DurationInSeconds")
                        ? Duration.ofSeconds(config.path("RetryOptions")
                                .get("DurationInSeconds")
                                .asLong())
                        : DEFAULT_RETRY_DURATION,
                text(config, "S3BackupMode").flatMap(BackupMode::fromWire).orElse(BackupMode.FAILED_EVENTS_ONLY),
                S3DestinationCodec.parse(config.path("S3Configuration")),
                config.path("ProcessingConfiguration").isObject()
                        ? Optional.of(ProcessingCodec.parse(config.path("ProcessingConfiguration"), processors(role)))
                        : Optional.empty(),
                S3DestinationCodec.cloudWatchLogging(config.path("CloudWatchLoggingOptions")),
                S3DestinationCodec.bufferingHints(config.path("BufferingHints"), DEFAULT_HINTS));
    }

    /**
     * Applies a {@code SplunkDestinationUpdate}: members it supplies replace the current ones,
     * {@code S3Update} merges member by member into the S3 configuration, and {@code S3BackupMode} may go
     * from {@code FailedEventsOnly} to {@code AllEvents} only (firehose-api §4.1).
     */
    public static SplunkDestinationSpec merge(SplunkDestinationSpec current, JsonNode update) {
        ObjectNode merged = render(current);
        update.properties().forEach(member -> {
            JsonNode value = member.getValue();
            if (value.isNull()) {
                return;
            }
            if (member.getKey().equals("S3Update")) {
                DestinationUpdates.mergeInto((ObjectNode) merged.get("S3Configuration"), value);
            } else {
                merged.set(member.getKey(), value);
            }
        });
        SplunkDestinationSpec updated = parse(merged);
        if (current.backupMode() == BackupMode.ALL_EVENTS && updated.backupMode() != BackupMode.ALL_EVENTS) {
            throw invalid("S3BackupMode cannot be changed from AllEvents to FailedEventsOnly.");
        }
        return updated;
    }

    /**
     * A Splunk destination replacing another type's by an update, which must then say everything a
     * configuration says.
     */
    public static SplunkDestinationSpec fromUpdate(JsonNode update) {
        ObjectNode config = DestinationUpdates.asConfiguration(update, "Splunk");
        for (String member : List.of("HECEndpoint", "HECEndpointType")) {
            if (!config.hasNonNull(member)) {
                throw invalid(member + " is required when changing the destination to Splunk.");
            }
        }
        return parse(config);
    }

    /** The {@code SplunkDestinationConfiguration} shape with AWS's defaults, in the model's order. */
    public static ObjectNode render(SplunkDestinationSpec spec) {
        return members(spec, "S3Configuration", ProcessingCodec::render);
    }

    /** The {@code SplunkDestinationDescription} shape with AWS's defaults, in the model's order. */
    public static ObjectNode describe(SplunkDestinationSpec spec) {
        return members(
                spec,
                "S3DestinationDescription",
                p -> ProcessingCodec.describe(p, processors(spec.s3().roleArn())));
    }

    /**
     * The processors Splunk destinations run, as AWS's do: decompression and CloudWatch Logs processing,
     * then Lambda, whose defaults are the S3 configuration's role (a Splunk destination has none of its
     * own) and a 256 KB, 60 s buffer.
     */
    public static SupportedProcessors processors(String roleArn) {
        return new SupportedProcessors(
                List.of(Decompression.TYPE, CloudWatchLogProcessing.TYPE, LambdaParameters.TYPE),
                new LambdaDefaults(Optional.of(roleArn), LAMBDA_BUFFER, LAMBDA_INTERVAL),
                "Splunk");
    }

    private static ObjectNode members(
            SplunkDestinationSpec spec, String s3Member, Function<Processing, JsonNode> processing) {
        ObjectNode node = JSON.objectNode();
        node.put("HECEndpoint", spec.hecEndpoint().toString());
        node.put("HECEndpointType", spec.endpointType().wireName());
        node.put("HECToken", spec.hecToken());
        node.put(
                "HECAcknowledgmentTimeoutInSeconds",
                spec.acknowledgmentTimeout().toSeconds());
        node.putObject("RetryOptions")
                .put("DurationInSeconds", spec.retryDuration().toSeconds());
        node.put("S3BackupMode", spec.backupMode().wireName());
        node.set(s3Member, S3DestinationCodec.describe(spec.s3()));
        spec.processing().ifPresent(p -> node.set("ProcessingConfiguration", processing.apply(p)));
        ObjectNode logging = node.putObject("CloudWatchLoggingOptions").put("Enabled", false);
        spec.cloudWatchLogging().logGroupName().ifPresent(g -> logging.put("LogGroupName", g));
        spec.cloudWatchLogging().logStreamName().ifPresent(s -> logging.put("LogStreamName", s));
        ObjectNode hints = node.putObject("BufferingHints");
        hints.put("IntervalInSeconds", spec.bufferingHints().interval().toSeconds());
        hints.put("SizeInMBs", spec.bufferingHints().size().toMebibytes());
        return node;
    }

    private static URI hecEndpoint(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null || (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()))) {
                throw invalid("HECEndpoint must be an https:// URL with a host.");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid("HECEndpoint is not a valid URL.");
        }
    }

    private static Optional<String> text(JsonNode node, String member) {
        JsonNode value = node.path(member);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
