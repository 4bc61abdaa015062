package io.sluice.source;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoints of a node of its own: one file per stream, {@code <uid>.json} holding
 * {@code {"positions":{"<name>":"<position>",…}}}, replaced atomically.
 */
public final class FileCheckpoints implements Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public FileCheckpoints(Path directory, String streamUid) {
        requireNonNull(directory, "directory is null");
        requireNonNull(streamUid, "streamUid is null");
        this.file = directory.resolve(streamUid + ".json");
    }

    @Override
    public Map<String, String> load() throws IOException {
        Map<String, String> positions = new TreeMap<>();
        if (Files.exists(file)) {
            JsonNode node = JSON.readTree(file.toFile());
            node.path("positions")
                    .properties()
                    .forEach(e -> positions.put(e.getKey(), e.getValue().asText()));
        }
        return positions;
    }

    @Override
    public void save(Map<String, String> positions) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode saved = node.putObject("positions");
        new TreeMap<>(positions).forEach(saved::put);
        Files.createDirectories(file.getParent());
        AtomicFiles.replace(file, JSON.writeValueAsBytes(node));
    }

    @Override
    public void delete() throws IOException {
        AtomicFiles.delete(file);
    }
}
