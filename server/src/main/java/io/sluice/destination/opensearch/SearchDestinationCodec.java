package io.sluice.destination.opensearch;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationUpdates;
import io.sluice.destination.opensearch.SearchDestinationSpec.BackupMode;
import io.sluice.destination.opensearch.SearchDestinationSpec.Cluster;
import io.sluice.destination.opensearch.SearchDestinationSpec.DocumentIdFormat;
import io.sluice.destination.s3.S3DestinationCodec;
import io.sluice.processor.CloudWatchLogProcessing;
import io.sluice.processor.Decompression;
import io.sluice.processor.LambdaDefaults;
import io.sluice.processor.LambdaParameters;
import io.sluice.processor.ProcessingCodec;
import io.sluice.processor.SupportedProcessors;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns the configuration shapes of the three search destinations (already checked against the service
 * model) into a {@link SearchDestinationSpec}, merges their updates, and renders a spec: as the
 * configuration shape with AWS's defaults (what the catalog persists) and as the description shape.
 * The rules the model cannot express: exactly one of {@code DomainARN} and {@code ClusterEndpoint}
 * (Serverless: a {@code CollectionEndpoint}), both buffering hints or neither, and no change of
 * destination type.
 */
public final class SearchDestinationCodec {
    /** AWS's defaults for the buffering hints of all three (firehose-api §5). */
    public static final BufferingHints DEFAULT_HINTS =
            new BufferingHints(DataSize.ofMebibytes(5), Duration.ofMinutes(5));

    /** AWS's default {@code RetryOptions.DurationInSeconds}. */
    public static final Duration DEFAULT_RETRY_DURATION = Duration.ofMinutes(5);

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The model's member order, so that output reads like AWS's. */
    private static final List<String> ORDER = List.of(
            "RoleARN",
            "DomainARN",
            "ClusterEndpoint",
            "CollectionEndpoint",
            "IndexName",
            "TypeName",
            "IndexRotationPeriod",
            "BufferingHints",
            "RetryOptions",
            "S3BackupMode",
            "S3Configuration",
            "S3DestinationDescription",
            "ProcessingConfiguration",
            "CloudWatchLoggingOptions",
            "VpcConfiguration",
            "VpcConfigurationDescription",
            "DocumentIdOptions");

    private SearchDestinationCodec() {}

    public static SearchDestinationSpec parse(SearchFlavor flavor, JsonNode config) {
        String roleArn = config.path("RoleARN").asText();
        return new SearchDestinationSpec(
                flavor,
                roleArn,
                cluster(flavor, config),
                config.path("IndexName").asText(),
                flavor.hasIndexOptions() ? text(config, "TypeName") : Optional.empty(),
                flavor.hasIndexOptions()
                        ? text(config, "IndexRotationPeriod")
                                .flatMap(IndexRotation::fromWire)
                                .orElse(IndexRotation.DEFAULT)
                        : IndexRotation.NO_ROTATION,
                flavor.hasIndexOptions()
                        ? text(config.path("DocumentIdOptions"), "DefaultDocumentIdFormat")
                                .map(DocumentIdFormat::valueOf)
                                .orElse(DocumentIdFormat.FIREHOSE_DEFAULT)
                        : DocumentIdFormat.NO_DOCUMENT_ID,
                S3DestinationCodec.bufferingHints(config.path("BufferingHints"), DEFAULT_HINTS),
                config.path("RetryOptions").hasNonNull("DurationInSeconds")
                        ? Duration.ofSeconds(config.path("RetryOptions")
                                .get("DurationInSeconds")
                                .asLong())
                        : DEFAULT_RETRY_DURATION,
                text(config, "S3BackupMode").flatMap(BackupMode::fromWire).orElse(BackupMode.FAILED_DOCUMENTS_ONLY),
                S3DestinationCodec.parse(config.path("S3Configuration")),
                config.path("ProcessingConfiguration").isObject()
                        ? Optional.of(ProcessingCodec.parse(
                                config.path("ProcessingConfiguration"), processors(flavor, roleArn)))
                        : Optional.empty(),
                S3DestinationCodec.cloudWatchLogging(config.path("CloudWatchLoggingOptions")),
                config.path("VpcConfiguration").isObject()
                        ? Optional.of(vpc(config.path("VpcConfiguration")))
                        : Optional.empty());
    }

    /**
     * Applies an update of {@code current}'s own flavor: members it supplies replace the current ones;
     * {@code S3Update} merges member by member into the S3 configuration; a {@code DomainARN} replaces
     * a {@code ClusterEndpoint} and the other way round. {@code S3BackupMode} and
     * {@code VpcConfiguration} are not in the update shapes: they stay as created.
     */
    public static SearchDestinationSpec merge(SearchDestinationSpec current, SearchFlavor flavor, JsonNode update) {
        if (flavor != current.flavor()) {
            throw typeChange(current.flavor());
        }
        ObjectNode merged = render(current);
        update.properties().forEach(member -> {
            JsonNode value = member.getValue();
            if (value.isNull()) {
                return;
            }
            switch (member.getKey()) {
                case "S3Update" -> DestinationUpdates.mergeInto((ObjectNode) merged.get("S3Configuration"), value);
                case "DomainARN" -> {
                    merged.remove("ClusterEndpoint");
                    merged.set("DomainARN", value);
                }
                case "ClusterEndpoint" -> {
                    merged.remove("DomainARN");
                    merged.set("ClusterEndpoint", value);
                }
                default -> merged.set(member.getKey(), value);
            }
        });
        if (update.hasNonNull("DomainARN") && update.hasNonNull("ClusterEndpoint")) {
            throw invalid(bothLocations());
        }
        return parse(flavor, merged);
    }

    /**
     * AWS refuses to change a stream's destination to or from its search destinations (firehose-api
     * §4.1): the refusal of such an update.
     */
    public static FirehoseException typeChange(SearchFlavor flavor) {
        return invalid("Changing the destination type to or from " + flavor.nounPhrase() + " is not supported.");
    }

    /** The configuration shape of the spec's flavor, with AWS's defaults filled in. */
    public static ObjectNode render(SearchDestinationSpec spec) {
        ObjectNode node = members(spec);
        node.set("S3Configuration", S3DestinationCodec.describe(spec.s3()));
        spec.processing().ifPresent(p -> node.set("ProcessingConfiguration", ProcessingCodec.render(p)));
        spec.vpc().ifPresent(vpc -> {
            ObjectNode vpcNode = node.putObject("VpcConfiguration");
            vpcMembers(vpc, vpcNode);
        });
        reorder(node);
        return node;
    }

    /** The description shape of the spec's flavor, with AWS's defaults filled in. */
    public static ObjectNode describe(SearchDestinationSpec spec) {
        ObjectNode node = members(spec);
        node.set("S3DestinationDescription", S3DestinationCodec.describe(spec.s3()));
        spec.processing()
                .ifPresent(p -> node.set(
                        "ProcessingConfiguration",
                        ProcessingCodec.describe(p, processors(spec.flavor(), spec.roleArn()))));
        spec.vpc().ifPresent(vpc -> {
            ObjectNode vpcNode = node.putObject("VpcConfigurationDescription");
            vpcMembers(vpc, vpcNode);
            vpcNode.put("VpcId", vpcId(vpc));
        });
        reorder(node);
        return node;
    }

    /**
     * The processors search destinations run, as AWS's OpenSearch destinations do: decompression and
     * CloudWatch Logs processing, then Lambda (its defaults: the destination's role, a 1 MB and 60 s
     * buffer). {@code AppendDelimiterToRecord} is for records written to S3 (delivery spec §4.6.2); a bulk
     * request delimits its documents itself.
     */
    public static SupportedProcessors processors(SearchFlavor flavor, String roleArn) {
        return new SupportedProcessors(
                List.of(Decompression.TYPE, CloudWatchLogProcessing.TYPE, LambdaParameters.TYPE),
                LambdaDefaults.standard(Optional.of(roleArn)),
                flavor.displayName());
    }

    /**
     * The {@code VpcId} Describe shows. AWS looks up the VPC of the subnets; Sluice reaches the cluster
     * from its own network and knows no VPC, so it shows an id made from the subnets: {@code vpc-}
     * and 17 hex digits of the SHA-256 of the sorted subnet ids, the same on every Describe.
     */
    static String vpcId(SearchDestinationSpec.Vpc vpc) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join(",", new TreeSet<>(vpc.subnetIds())).getBytes(UTF_8));
            return "vpc-" + HexFormat.of().formatHex(digest).substring(0, 17);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }

    /** The members configuration and description share, in no particular order yet. */
    private static ObjectNode members(SearchDestinationSpec spec) {
        ObjectNode node = JSON.objectNode();
        node.put("RoleARN", spec.roleArn());
        switch (spec.cluster()) {
            case Cluster.Domain domain -> node.put("DomainARN", domain.arn());
            case Cluster.Endpoint endpoint ->
                node.put(
                        spec.flavor().hasDomains() ? "ClusterEndpoint" : "CollectionEndpoint",
                        endpoint.url().toString());
        }
        node.put("IndexName", spec.indexName());
        if (spec.flavor().hasIndexOptions()) {
            spec.typeName().ifPresent(t -> node.put("TypeName", t));
            node.put("IndexRotationPeriod", spec.rotation().wireName());
            node.putObject("DocumentIdOptions")
                    .put("DefaultDocumentIdFormat", spec.documentIds().name());
        }
        ObjectNode hints = node.putObject("BufferingHints");
        hints.put("IntervalInSeconds", spec.bufferingHints().interval().toSeconds());
        hints.put("SizeInMBs", spec.bufferingHints().size().toMebibytes());
        node.putObject("RetryOptions")
                .put("DurationInSeconds", spec.retryDuration().toSeconds());
        node.put("S3BackupMode", spec.backupMode().wireName());
        ObjectNode logging = node.putObject("CloudWatchLoggingOptions").put("Enabled", false);
        spec.cloudWatchLogging().logGroupName().ifPresent(g -> logging.put("LogGroupName", g));
        spec.cloudWatchLogging().logStreamName().ifPresent(s -> logging.put("LogStreamName", s));
        return node;
    }

    private static void reorder(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        node.removeAll();
        for (String member : ORDER) {
            if (copy.has(member)) {
                node.set(member, copy.get(member));
            }
        }
    }

    private static void vpcMembers(SearchDestinationSpec.Vpc vpc, ObjectNode node) {
        ArrayNode subnets = node.putArray("SubnetIds");
        vpc.subnetIds().forEach(subnets::add);
        node.put("RoleARN", vpc.roleArn());
        ArrayNode groups = node.putArray("SecurityGroupIds");
        vpc.securityGroupIds().forEach(groups::add);
    }

    private static Cluster cluster(SearchFlavor flavor, JsonNode config) {
        if (!flavor.hasDomains()) {
            return new Cluster.Endpoint(url(config, "CollectionEndpoint")
                    .orElseThrow(() -> invalid("CollectionEndpoint is required for " + flavor.nounPhrase() + ".")));
        }
        Optional<String> domain = text(config, "DomainARN");
        Optional<URI> endpoint = url(config, "ClusterEndpoint");
        if (domain.isPresent() == endpoint.isPresent()) {
            throw invalid(
                    domain.isPresent() ? bothLocations() : "Either DomainARN or ClusterEndpoint must be specified.");
        }
        return domain.<Cluster>map(Cluster.Domain::new).orElseGet(() -> new Cluster.Endpoint(endpoint.orElseThrow()));
    }

    private static String bothLocations() {
        return "Only one of DomainARN or ClusterEndpoint may be specified.";
    }

    private static Optional<URI> url(JsonNode config, String member) {
        Optional<String> text = text(config, member);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (uri.getHost() == null || (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()))) {
                throw invalid(member + " must be an https:// URL with a host.");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw invalid(member + " is not a valid URL.");
        }
    }

    private static SearchDestinationSpec.Vpc vpc(JsonNode config) {
        return new SearchDestinationSpec.Vpc(
                strings(config.path("SubnetIds")),
                config.path("RoleARN").asText(),
                strings(config.path("SecurityGroupIds")));
    }

    private static List<String> strings(JsonNode list) {
        List<String> values = new ArrayList<>();
        list.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Optional<String> text(JsonNode node, String member) {
        JsonNode value = node.path(member);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
