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
 * How far a stream's source reader has read, durably: names (a shard id, a partition) to positions (a
 * sequence number, an offset), as the reader defines them. One file per stream, {@code <uid>.json}
 * holding {@code {"positions":{"<name>":"<position>",…}}}, replaced atomically. A reader saves a position
 * only once the records up to it are durable in the stream's log, so a restart (or kill -9) resumes
 * after them: records read again are duplicates, never gaps.
 */
public final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public Checkpoints(Path directory, String streamUid) {
        requireNonNull(directory, "directory is null");
        requireNonNull(streamUid, "streamUid is null");
        this.file = directory.resolve(streamUid + ".json");
    }

    /** The positions last saved; empty if none were. */
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

    /** Replaces the saved positions with {@code positions}: durable when it returns. */
    public void save(Map<String, String> positions) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode saved = node.putObject("positions");
        new TreeMap<>(positions).forEach(saved::put);
        Files.createDirectories(file.getParent());
        AtomicFiles.replace(file, JSON.writeValueAsBytes(node));
    }

    /** Forgets the positions (the stream was deleted). */
    public void delete() throws IOException {
        AtomicFiles.delete(file);
    }
}
