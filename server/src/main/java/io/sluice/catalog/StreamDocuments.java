package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A stream as one JSON document, the form every {@link CatalogStore} keeps it in (a file of its own, a
 * table row): the stream's state, and its destination as its {@link DestinationFormat} renders it, under
 * the member of its type in AWS's configuration shape (e.g. {@code ExtendedS3DestinationConfiguration})
 * with defaults filled in, so a stored stream is read back through the same validation as a created one.
 * A document whose destination no registered type reads fails to read.
 *
 * <p>With a {@link SecretSeal} (as the server runs it), the destination's secrets (its type's
 * {@linkplain DestinationFormat#secrets pointers}) are stored sealed, {@code {"Sealed":"1:…"}} in place of
 * the string, in documents of format 2; the context of each is {@code <stream uid>/<member><pointer>}.
 * Without a seal, documents are written in format 1, secrets in clear, and only format 1 is read.
 */
public final class StreamDocuments {
    private static final int CLEAR_FORMAT = 1;
    private static final int SEALED_FORMAT = 2;
    private static final String SEALED = "Sealed";

    private final DestinationFormat destinations;
    private final Optional<SecretSeal> seal;
    private final ObjectMapper mapper = new ObjectMapper();

    public StreamDocuments(DestinationFormat destinations, Optional<SecretSeal> seal) {
        this.destinations = requireNonNull(destinations, "destinations is null");
        this.seal = requireNonNull(seal, "seal is null");
    }

    /** A stream as read, and whether its document holds a secret in clear that a seal is there to seal. */
    public record Read(DeliveryStream stream, boolean secretsInClear) {}

    /** The stream's document, UTF-8 JSON. */
    public byte[] write(DeliveryStream stream) {
        try {
            return mapper.writeValueAsBytes(toJson(stream));
        } catch (IOException e) {
            throw new IllegalStateException("cannot render delivery stream " + stream.ref(), e);
        }
    }

    /**
     * The stream a document holds.
     *
     * @param where names the document in failures (a file, a row)
     * @throws IOException the document is not one this reader reads (format, destination, a sealed secret)
     */
    public Read read(byte[] document, String where) throws IOException {
        return read(mapper.readTree(document), where);
    }

    private ObjectNode toJson(DeliveryStream stream) {
        ObjectNode node = mapper.createObjectNode();
        node.put("FormatVersion", seal.isPresent() ? SEALED_FORMAT : CLEAR_FORMAT);
        node.put("Account", stream.ref().account());
        node.put("Region", stream.ref().region());
        node.put("DeliveryStreamName", stream.ref().name());
        node.put("Uid", stream.uid());
        node.put("DeliveryStreamType", stream.type().wireName());
        node.put("DeliveryStreamStatus", stream.status().name());
        node.put("VersionId", stream.version());
        node.put("CreateTimestamp", stream.createTimestamp().toEpochMilli());
        stream.lastUpdateTimestamp().ifPresent(t -> node.put("LastUpdateTimestamp", t.toEpochMilli()));
        stream.throughputHintInMBs().ifPresent(t -> node.put("ThroughputHintInMBs", t));
        stream.source().ifPresent(source -> {
            ObjectNode sourceNode = node.putObject("Source");
            sourceNode.set(
                    SourceConfigurations.member(source.type()).orElseThrow(),
                    SourceConfigurations.configuration(source));
            source.deliveryStart().ifPresent(t -> sourceNode.put("DeliveryStartTimestamp", t.toEpochMilli()));
        });
        node.put("DestinationId", stream.destination().id());
        DestinationSpec spec = stream.destination().spec();
        String member = destinations.member(spec);
        ObjectNode configuration = destinations.render(spec);
        seal.ifPresent(sealer -> destinations.secrets(member).forEach(pointer -> {
            String context = stream.uid() + "/" + member + pointer;
            replace(
                    configuration,
                    pointer,
                    secret -> secret.isTextual()
                            ? mapper.createObjectNode().put(SEALED, sealer.seal(secret.asText(), context))
                            : secret);
        }));
        node.set(member, configuration);
        ObjectNode encryption = node.putObject("Encryption");
        encryption.put("Status", stream.encryption().status().name());
        stream.encryption().keyType().ifPresent(k -> encryption.put("KeyType", k.name()));
        stream.encryption().keyArn().ifPresent(k -> encryption.put("KeyARN", k));
        var toggles = encryption.putArray("Toggles");
        stream.encryption().toggles().forEach(t -> toggles.add(t.toEpochMilli()));
        ObjectNode tags = node.putObject("Tags");
        stream.tags().forEach(tags::put);
        return node;
    }

    private Read read(JsonNode node, String where) throws IOException {
        int format = node.path("FormatVersion").asInt();
        if (format != CLEAR_FORMAT && (format != SEALED_FORMAT || seal.isEmpty())) {
            throw new IOException("unknown catalog format in " + where);
        }
        JsonNode encryption = node.path("Encryption");
        List<Instant> toggles = new ArrayList<>();
        encryption.path("Toggles").forEach(t -> toggles.add(Instant.ofEpochMilli(t.asLong())));
        TreeMap<String, String> tags = new TreeMap<>();
        node.path("Tags")
                .properties()
                .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        DeliveryStreamType type = DeliveryStreamType.fromWire(
                        node.path("DeliveryStreamType").asText())
                .orElseThrow(() -> new IOException("unknown stream type in " + where));
        DeliveryStream stream = new DeliveryStream(
                new StreamRef(
                        node.path("Account").asText(),
                        node.path("Region").asText(),
                        node.path("DeliveryStreamName").asText()),
                node.path("Uid").asText(),
                type,
                DeliveryStreamStatus.valueOf(node.path("DeliveryStreamStatus").asText()),
                node.path("VersionId").asLong(),
                Instant.ofEpochMilli(node.path("CreateTimestamp").asLong()),
                optionalInstant(node, "LastUpdateTimestamp"),
                node.hasNonNull("ThroughputHintInMBs")
                        ? Optional.of(node.get("ThroughputHintInMBs").asInt())
                        : Optional.empty(),
                source(type, node.path("Source")),
                new Destination(
                        node.path("DestinationId").asText(),
                        destination(node, node.path("Uid").asText(), where)),
                new Encryption(
                        EncryptionStatus.valueOf(encryption.path("Status").asText()),
                        encryption.hasNonNull("KeyType")
                                ? Optional.of(KeyType.valueOf(
                                        encryption.get("KeyType").asText()))
                                : Optional.empty(),
                        encryption.hasNonNull("KeyARN")
                                ? Optional.of(encryption.get("KeyARN").asText())
                                : Optional.empty(),
                        toggles),
                tags);
        return new Read(stream, seal.isPresent() && secretInClear(node, where));
    }

    /** A stream's source as {@link #toJson} writes it: the configuration as created, and when reading began. */
    private static Optional<SourceSpec> source(DeliveryStreamType type, JsonNode source) {
        return SourceConfigurations.member(type).map(member -> {
            SourceSpec spec = SourceConfigurations.parse(type, source.path(member));
            return source.hasNonNull("DeliveryStartTimestamp")
                    ? spec.startingAt(Instant.ofEpochMilli(
                            source.get("DeliveryStartTimestamp").asLong()))
                    : spec;
        });
    }

    /** The member holding the stream's destination: the one a registered type reads. */
    private String destinationMember(JsonNode node, String where) throws IOException {
        List<String> members = new ArrayList<>();
        node.fieldNames().forEachRemaining(member -> {
            if (destinations.reads(member)) {
                members.add(member);
            }
        });
        if (members.size() != 1) {
            throw new IOException(
                    "expected one destination of a registered destination type in " + where + ", found " + members);
        }
        return members.get(0);
    }

    /** Whether the destination holds a secret as a plain string (written by a store without a seal). */
    private boolean secretInClear(JsonNode node, String where) throws IOException {
        String member = destinationMember(node, where);
        return destinations.secrets(member).stream()
                .anyMatch(pointer -> node.get(member).at(pointer).isTextual());
    }

    /** The stream's destination, its sealed secrets opened. */
    private DestinationSpec destination(JsonNode node, String uid, String where) throws IOException {
        String member = destinationMember(node, where);
        JsonNode configuration = node.get(member).deepCopy();
        for (String pointer : destinations.secrets(member)) {
            String context = uid + "/" + member + pointer;
            try {
                replace(
                        configuration,
                        pointer,
                        secret -> secret.isObject() && secret.path(SEALED).isTextual() && seal.isPresent()
                                ? mapper.getNodeFactory()
                                        .textNode(seal.get()
                                                .open(secret.get(SEALED).asText(), context))
                                : secret);
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        "cannot open the secret " + member + pointer + " in " + where + ": " + e.getMessage(), e);
            }
        }
        return destinations.parse(member, configuration);
    }

    /** Replaces the value at {@code pointer} (if there is one) with what {@code change} makes of it. */
    private static void replace(JsonNode configuration, String pointer, UnaryOperator<JsonNode> change) {
        JsonPointer path = JsonPointer.compile(pointer);
        JsonNode parent = configuration.at(path.head());
        String name = path.last().getMatchingProperty();
        if (parent instanceof ObjectNode object && object.has(name)) {
            object.set(name, change.apply(object.get(name)));
        }
    }

    private static Optional<Instant> optionalInstant(JsonNode node, String member) {
        return node.hasNonNull(member)
                ? Optional.of(Instant.ofEpochMilli(node.get(member).asLong()))
                : Optional.empty();
    }
}
