package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.catalog.Catalog;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamType;
import io.sluice.catalog.Destination;
import io.sluice.catalog.DestinationSpec;
import io.sluice.catalog.EncryptionRequest;
import io.sluice.catalog.KeyType;
import io.sluice.catalog.NewStream;
import io.sluice.catalog.Scope;
import io.sluice.catalog.SourceConfigurations;
import io.sluice.catalog.SourceSpec;
import io.sluice.catalog.StreamRef;
import io.sluice.common.EpochSeconds;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.destination.DestinationRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The control-plane operations: wire input (already checked against the service model) to catalog
 * calls, and catalog state to AWS's output shapes. Destinations are parsed, updated and described by
 * the {@link DestinationRegistry}; a destination member no registered type claims is refused.
 */
public final class ControlPlane {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Destination members of CreateDeliveryStreamInput, in model order, whether Sluice delivers to them or not. */
    private static final List<String> DESTINATIONS = List.of(
            "S3DestinationConfiguration",
            "ExtendedS3DestinationConfiguration",
            "RedshiftDestinationConfiguration",
            "ElasticsearchDestinationConfiguration",
            "AmazonopensearchserviceDestinationConfiguration",
            "SplunkDestinationConfiguration",
            "HttpEndpointDestinationConfiguration",
            "AmazonOpenSearchServerlessDestinationConfiguration",
            "SnowflakeDestinationConfiguration",
            "IcebergDestinationConfiguration");

    /** Destination members of UpdateDestinationInput, in model order. */
    private static final List<String> UPDATES = List.of(
            "S3DestinationUpdate",
            "ExtendedS3DestinationUpdate",
            "RedshiftDestinationUpdate",
            "ElasticsearchDestinationUpdate",
            "AmazonopensearchserviceDestinationUpdate",
            "SplunkDestinationUpdate",
            "HttpEndpointDestinationUpdate",
            "AmazonOpenSearchServerlessDestinationUpdate",
            "SnowflakeDestinationUpdate",
            "IcebergDestinationUpdate");

    private static final Map<String, DeliveryStreamType> SOURCES = Map.of(
            "KinesisStreamSourceConfiguration", DeliveryStreamType.KINESIS_STREAM_AS_SOURCE,
            "MSKSourceConfiguration", DeliveryStreamType.MSK_AS_SOURCE,
            "DatabaseSourceConfiguration", DeliveryStreamType.DATABASE_AS_SOURCE,
            "DirectPutSourceConfiguration", DeliveryStreamType.DIRECT_PUT);

    private static final int DEFAULT_LIST_LIMIT = 10;
    private static final int DEFAULT_TAG_LIMIT = 50;

    private final Catalog catalog;
    private final DestinationRegistry destinations;

    public ControlPlane(Catalog catalog, DestinationRegistry destinations) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.destinations = requireNonNull(destinations, "destinations is null");
    }

    public ObjectNode create(Scope scope, JsonNode input) {
        StreamRef ref = scope.stream(input.path("DeliveryStreamName").asText());
        DeliveryStreamType type = DeliveryStreamType.fromWire(
                        input.path("DeliveryStreamType").asText("DirectPut"))
                .orElseThrow();
        List<String> destinations =
                DESTINATIONS.stream().filter(input::hasNonNull).toList();
        if (destinations.size() != 1) {
            throw invalid("Exactly one destination configuration is supported for a Firehose");
        }
        SOURCES.forEach((member, sourceType) -> {
            if (input.hasNonNull(member) && sourceType != type) {
                throw invalid(
                        member + " can only be specified for a delivery stream of type " + sourceType.wireName() + ".");
            }
        });
        if (type == DeliveryStreamType.KINESIS_STREAM_AS_SOURCE && !input.hasNonNull("KinesisStreamSourceConfiguration")
                || type == DeliveryStreamType.MSK_AS_SOURCE && !input.hasNonNull("MSKSourceConfiguration")
                || type == DeliveryStreamType.DATABASE_AS_SOURCE && !input.hasNonNull("DatabaseSourceConfiguration")) {
            throw invalid("A delivery stream of type " + type.wireName() + " requires its source configuration.");
        }
        if (type == DeliveryStreamType.DATABASE_AS_SOURCE) {
            throw invalid("Sluice does not support delivery streams of type " + type.wireName()
                    + "; the supported types are DirectPut, KinesisStreamAsSource and MSKAsSource.");
        }
        Optional<EncryptionRequest> encryption = Optional.ofNullable(
                        input.get("DeliveryStreamEncryptionConfigurationInput"))
                .filter(JsonNode::isObject)
                .map(ControlPlane::encryptionRequest);
        if (encryption.isPresent() && type != DeliveryStreamType.DIRECT_PUT) {
            throw encryptionOnlyForDirectPut(type);
        }
        encryption.ifPresent(ControlPlane::requireUsableKey);
        Optional<SourceSpec> source =
                SourceConfigurations.member(type).map(member -> SourceConfigurations.parse(type, input.get(member)));
        DestinationSpec destination = destination(destinations.get(0), input.get(destinations.get(0)));
        requireBackupAllowed(type, destination);
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : input.path("Tags")) {
            tags.put(tag.path("Key").asText(), tag.path("Value").asText(""));
        }
        Optional<Integer> throughput = Optional.ofNullable(
                        input.path("DirectPutSourceConfiguration").get("ThroughputHintInMBs"))
                .map(JsonNode::asInt);
        DeliveryStream stream =
                catalog.create(new NewStream(ref, type, throughput, source, destination, encryption, tags));
        return JSON.objectNode().put("DeliveryStreamARN", stream.ref().arn());
    }

    public ObjectNode delete(Scope scope, JsonNode input) {
        catalog.delete(ref(scope, input), input.path("AllowForceDelete").asBoolean(false));
        return JSON.objectNode();
    }

    public ObjectNode describe(Scope scope, JsonNode input) {
        DeliveryStream stream = catalog.describe(ref(scope, input));
        ObjectNode description = JSON.objectNode();
        description.put("DeliveryStreamName", stream.ref().name());
        description.put("DeliveryStreamARN", stream.ref().arn());
        description.put("DeliveryStreamStatus", stream.status().name());
        if (stream.type() == DeliveryStreamType.DIRECT_PUT) {
            ObjectNode encryption = description.putObject("DeliveryStreamEncryptionConfiguration");
            stream.encryption().keyArn().ifPresent(k -> encryption.put("KeyARN", k));
            stream.encryption().keyType().map(KeyType::name).ifPresent(k -> encryption.put("KeyType", k));
            encryption.put("Status", stream.encryption().status().name());
        }
        description.put("DeliveryStreamType", stream.type().wireName());
        description.put("VersionId", Long.toString(stream.version()));
        description.put("CreateTimestamp", EpochSeconds.of(stream.createTimestamp()));
        stream.lastUpdateTimestamp().ifPresent(t -> description.put("LastUpdateTimestamp", EpochSeconds.of(t)));
        stream.throughputHintInMBs()
                .ifPresent(t -> description
                        .putObject("Source")
                        .putObject("DirectPutSourceDescription")
                        .put("ThroughputHintInMBs", t));
        stream.source().ifPresent(source -> description.set("Source", SourceConfigurations.description(source)));
        ArrayNode destinations = description.putArray("Destinations");
        String startAfter = input.path("ExclusiveStartDestinationId").asText("");
        if (startAfter.compareTo(stream.destination().id()) < 0) {
            destinations.add(describe(stream.destination()));
        }
        description.put("HasMoreDestinations", false);
        ObjectNode output = JSON.objectNode();
        output.set("DeliveryStreamDescription", description);
        return output;
    }

    /** The names of the scope's streams that are {@code visible} to the caller, a page at a time. */
    public ObjectNode list(Scope scope, JsonNode input, Predicate<StreamRef> visible) {
        int limit = input.path("Limit").asInt(DEFAULT_LIST_LIMIT);
        Optional<DeliveryStreamType> type =
                DeliveryStreamType.fromWire(input.path("DeliveryStreamType").asText(""));
        String startAfter = input.path("ExclusiveStartDeliveryStreamName").asText("");
        List<String> names = catalog.all().stream()
                .filter(s -> scope.contains(s.ref()))
                .filter(s -> visible.test(s.ref()))
                .filter(s -> type.isEmpty() || s.type() == type.get())
                .map(s -> s.ref().name())
                .filter(n -> n.compareTo(startAfter) > 0)
                .sorted()
                .toList();
        ObjectNode output = JSON.objectNode();
        ArrayNode page = output.putArray("DeliveryStreamNames");
        names.stream().limit(limit).forEach(page::add);
        output.put("HasMoreDeliveryStreams", names.size() > limit);
        return output;
    }

    public ObjectNode tag(Scope scope, JsonNode input) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : input.path("Tags")) {
            tags.put(tag.path("Key").asText(), tag.path("Value").asText(""));
        }
        catalog.tag(ref(scope, input), tags);
        return JSON.objectNode();
    }

    public ObjectNode untag(Scope scope, JsonNode input) {
        List<String> keys = new ArrayList<>();
        input.path("TagKeys").forEach(k -> keys.add(k.asText()));
        catalog.untag(ref(scope, input), keys);
        return JSON.objectNode();
    }

    public ObjectNode listTags(Scope scope, JsonNode input) {
        DeliveryStream stream = catalog.describe(ref(scope, input));
        int limit = input.path("Limit").asInt(DEFAULT_TAG_LIMIT);
        String startAfter = input.path("ExclusiveStartTagKey").asText("");
        List<Map.Entry<String, String>> tags = stream.tags().entrySet().stream()
                .filter(e -> e.getKey().compareTo(startAfter) > 0)
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .toList();
        ObjectNode output = JSON.objectNode();
        ArrayNode page = output.putArray("Tags");
        tags.stream()
                .limit(limit)
                .forEach(e -> page.addObject().put("Key", e.getKey()).put("Value", e.getValue()));
        output.put("HasMoreTags", tags.size() > limit);
        return output;
    }

    public ObjectNode startEncryption(Scope scope, JsonNode input) {
        JsonNode config = input.path("DeliveryStreamEncryptionConfigurationInput");
        StreamRef ref = ref(scope, input);
        EncryptionRequest request = config.isObject() ? encryptionRequest(config) : EncryptionRequest.AWS_OWNED;
        requireDirectPut(catalog.describe(ref));
        requireUsableKey(request);
        catalog.startEncryption(ref, request);
        return JSON.objectNode();
    }

    public ObjectNode stopEncryption(Scope scope, JsonNode input) {
        requireDirectPut(catalog.describe(ref(scope, input)));
        catalog.stopEncryption(ref(scope, input));
        return JSON.objectNode();
    }

    public ObjectNode updateDestination(Scope scope, JsonNode input) {
        List<String> updates = UPDATES.stream().filter(input::hasNonNull).toList();
        if (updates.size() != 1) {
            throw invalid("Exactly one destination update is supported for a Firehose");
        }
        String member = updates.get(0);
        JsonNode update = input.get(member);
        DeliveryStreamType type = catalog.describe(ref(scope, input)).type();
        catalog.updateDestination(
                ref(scope, input),
                input.path("CurrentDeliveryStreamVersionId").asText(),
                input.path("DestinationId").asText(),
                current -> requireBackupAllowed(type, updatedSpec(current, member, update)));
        return JSON.objectNode();
    }

    private DestinationSpec updatedSpec(Destination current, String member, JsonNode update) {
        if (!destinations.updates(member)) {
            throw unsupportedUpdate(member);
        }
        return destinations.update(current.spec(), member, update);
    }

    /**
     * AWS refuses any change to or from its OpenSearch destinations; Sluice refuses every other update
     * of a type it does not deliver to as it refuses creating one.
     */
    private FirehoseException unsupportedUpdate(String member) {
        if (member.startsWith("Elasticsearch") || member.startsWith("Amazonopensearchservice")) {
            return invalid(
                    "Changing the destination type to or from Amazon OpenSearch Service or Elasticsearch is not supported.");
        }
        return unsupportedDestination(member.replace("Update", "Configuration"));
    }

    private DestinationSpec destination(String member, JsonNode config) {
        if (!destinations.reads(member)) {
            throw unsupportedDestination(member);
        }
        return destinations.parse(member, config);
    }

    private ObjectNode describe(Destination destination) {
        ObjectNode node = JSON.objectNode().put("DestinationId", destination.id());
        destinations.describe(destination.spec(), node);
        return node;
    }

    private static EncryptionRequest encryptionRequest(JsonNode config) {
        return new EncryptionRequest(
                KeyType.valueOf(config.path("KeyType").asText()),
                config.hasNonNull("KeyARN") ? Optional.of(config.get("KeyARN").asText()) : Optional.empty());
    }

    /**
     * Sluice has no KMS: it encrypts stored records with its own keys ({@code AWS_OWNED_CMK}) and
     * cannot use a customer managed key, so it answers as AWS does for a KMS key it cannot find.
     */
    private static void requireUsableKey(EncryptionRequest request) {
        switch (request.keyType()) {
            case AWS_OWNED_CMK -> {}
            case CUSTOMER_MANAGED_CMK ->
                throw new FirehoseException(
                        ErrorCode.INVALID_KMS_RESOURCE,
                        "Sluice has no KMS, so the customer managed key "
                                + request.keyArn().orElse("")
                                + " cannot be used. Use KeyType AWS_OWNED_CMK: Sluice encrypts stored records with"
                                + " keys of its own.",
                        "KMS.NotFoundException");
        }
    }

    /** AWS offers an S3 backup of every record only to DirectPut and Kinesis-sourced streams (delivery spec §2.5). */
    private static DestinationSpec requireBackupAllowed(DeliveryStreamType type, DestinationSpec destination) {
        if (type == DeliveryStreamType.MSK_AS_SOURCE && destination.backsUpAllRecords()) {
            throw invalid("S3 backup of all records is not supported for delivery streams of type MSKAsSource;"
                    + " it is supported for DirectPut and KinesisStreamAsSource.");
        }
        return destination;
    }

    /**
     * Server-side encryption is a DirectPut stream's: a stream reading a source relies on the source's own
     * encryption (AWS's message is not known; this one names the rule).
     */
    private static void requireDirectPut(DeliveryStream stream) {
        if (stream.type() != DeliveryStreamType.DIRECT_PUT) {
            throw encryptionOnlyForDirectPut(stream.type());
        }
    }

    private static FirehoseException encryptionOnlyForDirectPut(DeliveryStreamType type) {
        return invalid("Server-side encryption is not supported for delivery streams of type " + type.wireName()
                + "; it is supported only for DirectPut.");
    }

    private static StreamRef ref(Scope scope, JsonNode input) {
        return scope.stream(input.path("DeliveryStreamName").asText());
    }

    private FirehoseException unsupportedDestination(String member) {
        List<String> supported = destinations.configurationMembers();
        String listed = supported.size() < 2
                ? String.join("", supported)
                : String.join(", ", supported.subList(0, supported.size() - 1)) + " and " + supported.getLast();
        return invalid("Sluice does not deliver to " + member.replace("DestinationConfiguration", "")
                + " destinations yet (" + member + "); the supported destinations are " + listed + ".");
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
