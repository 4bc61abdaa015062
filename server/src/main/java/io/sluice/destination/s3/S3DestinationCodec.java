package io.sluice.destination.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.destination.BufferingHints;
import io.sluice.processor.CloudWatchLogProcessing;
import io.sluice.processor.DeAggregationParameters;
import io.sluice.processor.Decompression;
import io.sluice.processor.LambdaDefaults;
import io.sluice.processor.LambdaParameters;
import io.sluice.processor.MetadataExtraction;
import io.sluice.processor.Processing;
import io.sluice.processor.ProcessingCodec;
import io.sluice.processor.ProcessorSpec;
import io.sluice.processor.ProcessorStages;
import io.sluice.processor.SupportedProcessors;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Turns the wire shapes {@code ExtendedS3DestinationConfiguration} / {@code S3DestinationConfiguration}
 * (already checked against the service model) into an {@link S3DestinationSpec}, applying the rules
 * the model cannot express, and renders a spec back: as the configuration shape with AWS's defaults
 * filled in (what the catalog persists) and as the description shapes of DescribeDeliveryStream.
 */
public final class S3DestinationCodec {
    /** AWS's defaults for {@code BufferingHints} of S3 destinations. */
    public static final BufferingHints DEFAULT_HINTS =
            new BufferingHints(DataSize.ofMebibytes(5), Duration.ofSeconds(300));

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private S3DestinationCodec() {}

    public static S3DestinationSpec parse(JsonNode config) {
        Optional<S3Prefix> prefix = text(config, "Prefix").map(S3Prefix::parse);
        Optional<S3Prefix> errorPrefix = text(config, "ErrorOutputPrefix").map(S3Prefix::parse);
        Optional<S3DestinationSpec.DynamicPartitioning> partitioning =
                present(config, "DynamicPartitioningConfiguration").map(S3DestinationCodec::dynamicPartitioning);
        boolean partitioned =
                partitioning.map(S3DestinationSpec.DynamicPartitioning::enabled).orElse(false);
        S3Prefix.validatePair(prefix, errorPrefix, partitioned);
        BufferingHints hints = bufferingHints(config.path("BufferingHints"));
        if (partitioned && hints.interval().isZero()) {
            throw invalid("Dynamic partitioning cannot be used with a buffering interval of 0 seconds; set"
                    + " BufferingHints.IntervalInSeconds to at least 1.");
        }
        Optional<Processing> processing = present(config, "ProcessingConfiguration")
                .map(p -> ProcessingCodec.parse(
                        p, processors(config.path("RoleARN").asText())));
        if (partitioned) {
            checkKeySources(prefix.orElseThrow(), processing);
        } else if (ProcessorStages.running(processing, MetadataExtraction.TYPE).isPresent()) {
            throw invalid("A MetadataExtraction processor needs dynamic partitioning"
                    + " (DynamicPartitioningConfiguration.Enabled true).");
        }
        rejectKmsEncryption(config.path("EncryptionConfiguration"));
        boolean backupEnabled = text(config, "S3BackupMode").orElse("Disabled").equals("Enabled");
        Optional<S3DestinationSpec> backup =
                present(config, "S3BackupConfiguration").map(S3DestinationCodec::parse);
        if (backupEnabled && backup.isEmpty()) {
            throw invalid("S3BackupConfiguration must be specified when S3BackupMode is Enabled.");
        }
        rejectEnabled(config, "DataFormatConversionConfiguration", true, "Record format conversion");
        Optional<String> zone = text(config, "CustomTimeZone");
        zone.filter(z -> !z.isEmpty()).ifPresent(S3DestinationCodec::checkZone);
        return new S3DestinationSpec(
                config.path("RoleARN").asText(),
                config.path("BucketARN").asText(),
                prefix,
                errorPrefix,
                hints,
                text(config, "CompressionFormat")
                        .flatMap(CompressionFormat::fromWire)
                        .orElse(CompressionFormat.UNCOMPRESSED),
                cloudWatchLogging(config.path("CloudWatchLoggingOptions")),
                processing,
                backupEnabled,
                backup,
                text(config, "FileExtension"),
                zone,
                partitioning);
    }

    private static S3DestinationSpec.DynamicPartitioning dynamicPartitioning(JsonNode config) {
        JsonNode retry = config.path("RetryOptions").path("DurationInSeconds");
        return new S3DestinationSpec.DynamicPartitioning(
                config.path("Enabled").asBoolean(false),
                retry.isNumber()
                        ? Duration.ofSeconds(retry.asLong())
                        : S3DestinationSpec.DynamicPartitioning.DEFAULT_RETRY_DURATION);
    }

    /**
     * The partition keys a partitioned stream's {@code Prefix} uses must come from somewhere: Lambda keys
     * from an enabled Lambda processor, query keys from an enabled {@code MetadataExtraction} processor,
     * every key of whose query the prefix must use (delivery spec §7.2a).
     */
    private static void checkKeySources(S3Prefix prefix, Optional<Processing> processing) {
        SortedSet<String> queryKeys = prefix.partitionKeys(S3Prefix.FROM_QUERY);
        Optional<ProcessorSpec> extraction = ProcessorStages.running(processing, MetadataExtraction.TYPE);
        if (!queryKeys.isEmpty() && extraction.isEmpty()) {
            throw invalid("The Prefix uses partitionKeyFromQuery keys, which need an enabled MetadataExtraction"
                    + " processor in ProcessingConfiguration.");
        }
        extraction.flatMap(e -> MetadataExtraction.query(e).keyNames()).ifPresent(names -> {
            if (!queryKeys.containsAll(names)) {
                throw invalid("When dynamic partitioning via inline parsing is enabled, you must use all specified"
                        + " dynamic partitioning key values for partitioning your data source.");
            }
            for (String key : queryKeys) {
                if (!names.contains(key)) {
                    throw invalid("The Prefix uses !{partitionKeyFromQuery:" + key + "}, which the"
                            + " MetadataExtractionQuery does not produce.");
                }
            }
        });
        if (!prefix.partitionKeys(S3Prefix.FROM_LAMBDA).isEmpty()
                && !processing.map(p -> p.runs(LambdaParameters.TYPE)).orElse(false)) {
            throw invalid("The Prefix uses partitionKeyFromLambda keys, which need an enabled Lambda processor in"
                    + " ProcessingConfiguration.");
        }
    }

    /**
     * Applies an {@code ExtendedS3DestinationUpdate} / {@code S3DestinationUpdate}: members it supplies
     * replace the current ones (a nested backup update merges the same way), others stay.
     */
    public static S3DestinationSpec merge(S3DestinationSpec current, JsonNode update) {
        ObjectNode merged = render(current);
        update.properties().forEach(member -> {
            if (member.getValue().isNull()) {
                return;
            }
            if (member.getKey().equals("S3BackupUpdate")) {
                ObjectNode backup =
                        current.backup().map(S3DestinationCodec::render).orElseGet(JSON::objectNode);
                member.getValue().properties().forEach(m -> backup.set(m.getKey(), m.getValue()));
                merged.set("S3BackupConfiguration", backup);
            } else {
                merged.set(member.getKey(), member.getValue());
            }
        });
        if (current.backupEnabled()
                && text(merged, "S3BackupMode").orElse("Disabled").equals("Disabled")) {
            throw invalid("S3BackupMode cannot be changed from Enabled to Disabled.");
        }
        S3DestinationSpec updated = parse(merged);
        if (current.partitioned() && !updated.partitioned()) {
            throw invalid("Dynamic partitioning cannot be disabled once it is enabled.");
        }
        if (!current.partitioned() && updated.partitioned()) {
            throw invalid("Dynamic partitioning cannot be enabled on a delivery stream created without it.");
        }
        return updated;
    }

    /** The {@code ExtendedS3DestinationConfiguration} shape with AWS's defaults filled in. */
    public static ObjectNode render(S3DestinationSpec spec) {
        ObjectNode node = renderCommon(spec);
        spec.processing().ifPresent(p -> node.set("ProcessingConfiguration", ProcessingCodec.render(p)));
        node.put("S3BackupMode", spec.backupEnabled() ? "Enabled" : "Disabled");
        spec.backup().ifPresent(b -> node.set("S3BackupConfiguration", renderCommon(b)));
        spec.fileExtension().ifPresent(e -> node.put("FileExtension", e));
        spec.customTimeZone().ifPresent(z -> node.put("CustomTimeZone", z));
        spec.dynamicPartitioning().ifPresent(d -> {
            ObjectNode partitioning = node.putObject("DynamicPartitioningConfiguration");
            partitioning
                    .putObject("RetryOptions")
                    .put("DurationInSeconds", d.retryDuration().toSeconds());
            partitioning.put("Enabled", d.enabled());
        });
        return node;
    }

    /**
     * The processors S3 destinations run, in AWS's order (delivery spec §6.1.10), and the defaults of
     * their Lambda processor: the destination's role, a 1 MB and 60 s buffer.
     */
    public static SupportedProcessors processors(String roleArn) {
        return new SupportedProcessors(
                List.of(
                        Decompression.TYPE,
                        CloudWatchLogProcessing.TYPE,
                        DeAggregationParameters.TYPE,
                        LambdaParameters.TYPE,
                        MetadataExtraction.TYPE,
                        ProcessorSpec.APPEND_DELIMITER_TO_RECORD),
                LambdaDefaults.standard(Optional.of(roleArn)),
                "S3");
    }

    /** The {@code ExtendedS3DestinationDescription} shape. */
    public static ObjectNode describeExtended(S3DestinationSpec spec) {
        ObjectNode node = render(spec);
        spec.processing()
                .ifPresent(p ->
                        node.set("ProcessingConfiguration", ProcessingCodec.describe(p, processors(spec.roleArn()))));
        JsonNode backup = node.remove("S3BackupConfiguration");
        if (backup != null) {
            node.set("S3BackupDescription", backup);
        }
        return node;
    }

    /** The {@code S3DestinationDescription} shape (the members S3 and extended S3 share). */
    public static ObjectNode describe(S3DestinationSpec spec) {
        return renderCommon(spec);
    }

    private static ObjectNode renderCommon(S3DestinationSpec spec) {
        ObjectNode node = JSON.objectNode();
        node.put("RoleARN", spec.roleArn());
        node.put("BucketARN", spec.bucketArn());
        spec.prefix().ifPresent(p -> node.put("Prefix", p.raw()));
        spec.errorOutputPrefix().ifPresent(p -> node.put("ErrorOutputPrefix", p.raw()));
        ObjectNode hints = node.putObject("BufferingHints");
        hints.put("SizeInMBs", spec.bufferingHints().size().toMebibytes());
        hints.put("IntervalInSeconds", spec.bufferingHints().interval().toSeconds());
        node.put("CompressionFormat", spec.compression().wireName());
        node.putObject("EncryptionConfiguration").put("NoEncryptionConfig", "NoEncryption");
        ObjectNode logging = node.putObject("CloudWatchLoggingOptions").put("Enabled", false);
        spec.cloudWatchLogging().logGroupName().ifPresent(g -> logging.put("LogGroupName", g));
        spec.cloudWatchLogging().logStreamName().ifPresent(s -> logging.put("LogStreamName", s));
        return node;
    }

    private static BufferingHints bufferingHints(JsonNode hints) {
        return bufferingHints(hints, DEFAULT_HINTS);
    }

    /**
     * A destination's {@code BufferingHints} (its size and interval must be given together), or
     * {@code defaults} when it gives neither.
     */
    public static BufferingHints bufferingHints(JsonNode hints, BufferingHints defaults) {
        boolean hasSize = hints.hasNonNull("SizeInMBs");
        boolean hasInterval = hints.hasNonNull("IntervalInSeconds");
        if (hasSize != hasInterval) {
            throw invalid("BufferingHints must specify both SizeInMBs and IntervalInSeconds, or neither.");
        }
        if (!hasSize) {
            return defaults;
        }
        return new BufferingHints(
                DataSize.ofMebibytes(hints.get("SizeInMBs").asLong()),
                Duration.ofSeconds(hints.get("IntervalInSeconds").asLong()));
    }

    /** {@code CloudWatchLoggingOptions}, which every destination has; refused when enabled. */
    public static S3DestinationSpec.CloudWatchLogging cloudWatchLogging(JsonNode options) {
        if (options.path("Enabled").asBoolean(false)) {
            throw invalid("CloudWatch Logs error logging is not supported by Sluice; set"
                    + " CloudWatchLoggingOptions.Enabled to false. Sluice logs delivery errors to its own log.");
        }
        return new S3DestinationSpec.CloudWatchLogging(text(options, "LogGroupName"), text(options, "LogStreamName"));
    }

    private static void rejectKmsEncryption(JsonNode encryption) {
        if (encryption.hasNonNull("KMSEncryptionConfig")) {
            throw invalid("EncryptionConfiguration.KMSEncryptionConfig (SSE-KMS for delivered objects) is not"
                    + " supported by Sluice yet; use NoEncryptionConfig.");
        }
    }

    /** Rejects a feature Sluice does not deliver; {@code enabledByDefault} mirrors the model's default. */
    private static void rejectEnabled(JsonNode config, String member, boolean enabledByDefault, String feature) {
        JsonNode node = config.path(member);
        if (node.isObject() && node.path("Enabled").asBoolean(enabledByDefault)) {
            throw invalid(feature + " (" + member + ") is not supported by Sluice yet.");
        }
    }

    private static void checkZone(String zone) {
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw invalid("CustomTimeZone " + zone + " is not a valid time zone.");
        }
    }

    private static Optional<String> text(JsonNode node, String member) {
        JsonNode value = node.path(member);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static Optional<JsonNode> present(JsonNode node, String member) {
        JsonNode value = node.path(member);
        return value.isObject() ? Optional.of(value) : Optional.empty();
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
