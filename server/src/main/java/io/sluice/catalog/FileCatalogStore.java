package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

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
 */
public final class FileCatalogStore implements CatalogStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileCatalogStore.class);
    private static final String SUFFIX = ".json";
    private static final int FORMAT_VERSION = 1;

    private final Path dir;
    private final DestinationFormat destinations;
    private final ObjectMapper mapper = new ObjectMapper();

    public FileCatalogStore(Path dir, DestinationFormat destinations) {
        this.dir = requireNonNull(dir, "dir is null");
        this.destinations = requireNonNull(destinations, "destinations is null");
    }

    @Override
    public List<DeliveryStream> loadAll() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<DeliveryStream> streams = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 3)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .toList()) {
                streams.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalog in " + dir, e);
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
        node.put("FormatVersion", FORMAT_VERSION);
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
        node.set(destinations.member(spec), destinations.render(spec));
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

    private DeliveryStream read(Path file) throws IOException {
        JsonNode node = mapper.readTree(file.toFile());
        if (node.path("FormatVersion").asInt() != FORMAT_VERSION) {
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
        return new DeliveryStream(
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
                new Destination(node.path("DestinationId").asText(), destination(node, file)),
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

    private DestinationSpec destination(JsonNode node, Path file) throws IOException {
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
        return destinations.parse(members.get(0), node.get(members.get(0)));
    }

    private static Optional<Instant> optionalInstant(JsonNode node, String member) {
        return node.hasNonNull(member)
                ? Optional.of(Instant.ofEpochMilli(node.get(member).asLong()))
                : Optional.empty();
    }
}
