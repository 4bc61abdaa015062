package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each stream in its own file, {@code <dir>/<account>/<region>/<name>.json}, replaced atomically
 * on every change. The file is JSON: the stream's state, and its destination as its
 * {@link DestinationFormat} renders it: under the member of its type in AWS's configuration shape
 * (e.g. {@code ExtendedS3DestinationConfiguration}) with defaults filled in, so a stored stream is read
 * back through the same validation as a created one. A file whose destination no registered type reads
 * fails the load. Stream names ({@code [a-zA-Z0-9_.-]+}) are safe file names once {@code .json} is
 * appended.
 *
 * <p>With a {@link SecretSeal} (as the server runs it), the destination's secrets (its type's
 * {@linkplain DestinationFormat#secrets pointers}) are stored sealed, {@code {"Sealed":"1:…"}} in place of
 * the string, in files of format 2; the context of each is {@code <stream uid>/<member><pointer>}. A file
 * holding a secret in clear (format 1, as earlier releases wrote it) is read, then written again sealed when
 * the catalog loads. Without a seal, files are written in format 1, secrets in clear.
 */
public final class FileCatalogStore implements CatalogStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileCatalogStore.class);
    private static final String SUFFIX = ".json";
    private static final int CLEAR_FORMAT = 1;
    private static final int SEALED_FORMAT = 2;
    private static final String SEALED = "Sealed";

    private final Path dir;
    private final DestinationFormat destinations;
    private final Optional<SecretSeal> seal;
    private final ObjectMapper mapper = new ObjectMapper();

    /** A store writing format 1, secrets in clear, and reading format 1 only. */
    public FileCatalogStore(Path dir, DestinationFormat destinations) {
        this(dir, destinations, Optional.empty());
    }

    /** A store sealing secrets with {@code seal}, migrating files that hold them in clear. */
    public FileCatalogStore(Path dir, DestinationFormat destinations, SecretSeal seal) {
        this(dir, destinations, Optional.of(requireNonNull(seal, "seal is null")));
    }

    private FileCatalogStore(Path dir, DestinationFormat destinations, Optional<SecretSeal> seal) {
        this.dir = requireNonNull(dir, "dir is null");
        this.destinations = requireNonNull(destinations, "destinations is null");
        this.seal = seal;
    }

    @Override
    public List<DeliveryStream> loadAll() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<DeliveryStream> streams = new ArrayList<>();
        List<DeliveryStream> clear = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 3)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .toList()) {
                Loaded loaded = read(file);
                streams.add(loaded.stream());
                if (loaded.secretsInClear()) {
                    clear.add(loaded.stream());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalog in " + dir, e);
        }
        clear.forEach(this::save);
        if (!clear.isEmpty()) {
            LOG.info(
                    "Sealed the destination secrets stored in clear by an earlier release in {} catalog files",
                    clear.size());
        }
        LOG.info("Catalog loaded {} delivery streams from {}", streams.size(), dir);
        return streams;
    }

    @Override
    public void save(DeliveryStream stream) {
        try {
            AtomicFiles.replace(file(stream.ref()), mapper.writeValueAsBytes(toJson(stream)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write delivery stream " + stream.ref(), e);
        }
    }

    @Override
    public void delete(StreamRef ref) {
        try {
            AtomicFiles.delete(file(ref));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete delivery stream " + ref, e);
        }
    }

    private Path file(StreamRef ref) {
        return dir.resolve(ref.account()).resolve(ref.region()).resolve(ref.name() + SUFFIX);
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

    /** A stream as read, and whether its file holds a secret in clear that a seal is there to seal. */
    private record Loaded(DeliveryStream stream, boolean secretsInClear) {}

    private Loaded read(Path file) throws IOException {
        JsonNode node = mapper.readTree(file.toFile());
        int format = node.path("FormatVersion").asInt();
        if (format != CLEAR_FORMAT && (format != SEALED_FORMAT || seal.isEmpty())) {
            throw new IOException("unknown catalog format in " + file);
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
                .orElseThrow(() -> new IOException("unknown stream type in " + file));
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
                        destination(node, node.path("Uid").asText(), file)),
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
        return new Loaded(stream, seal.isPresent() && secretInClear(node, file));
    }

    /** A stream's source as {@link #toJson} wrote it: the configuration as created, and when reading began. */
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
    private String destinationMember(JsonNode node, Path file) throws IOException {
        List<String> members = new ArrayList<>();
        node.fieldNames().forEachRemaining(member -> {
            if (destinations.reads(member)) {
                members.add(member);
            }
        });
        if (members.size() != 1) {
            throw new IOException(
                    "expected one destination of a registered destination type in " + file + ", found " + members);
        }
        return members.get(0);
    }

    /** Whether the destination holds a secret as a plain string (written by a store without a seal). */
    private boolean secretInClear(JsonNode node, Path file) throws IOException {
        String member = destinationMember(node, file);
        return destinations.secrets(member).stream()
                .anyMatch(pointer -> node.get(member).at(pointer).isTextual());
    }

    /** The stream's destination, its sealed secrets opened. */
    private DestinationSpec destination(JsonNode node, String uid, Path file) throws IOException {
        String member = destinationMember(node, file);
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
                        "cannot open the secret " + member + pointer + " in " + file + ": " + e.getMessage(), e);
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
