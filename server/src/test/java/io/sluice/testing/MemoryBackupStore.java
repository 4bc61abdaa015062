package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.destination.BackupStore;
import io.sluice.destination.BackupTarget;
import io.sluice.destination.DeliveryOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backup store for engine tests: keeps stored objects in memory, and fails every store between
 * {@link #fail()} and {@link #recover()}. Error documents are newline-terminated, as the S3 store writes them.
 */
public final class MemoryBackupStore implements BackupStore {
    public record Stored(BackupTarget target, byte[] content) {
        /** The content as newline-delimited JSON documents (error output). */
        public List<JsonNode> documents() {
            List<JsonNode> documents = new ArrayList<>();
            for (String line : new String(content, UTF_8).split("\n")) {
                try {
                    documents.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON document: " + line, e);
                }
            }
            return documents;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Stored> stored = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private final AtomicInteger attempts = new AtomicInteger();

    public void fail() {
        failing = true;
    }

    public void recover() {
        failing = false;
    }

    public List<Stored> stored() {
        return List.copyOf(stored);
    }

    public int attempts() {
        return attempts.get();
    }

    @Override
    public BackupWriter open(BackupTarget target) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        return new BackupWriter() {
            @Override
            public void append(ByteBuffer record) {
                byte[] bytes = new byte[record.remaining()];
                record.get(bytes);
                content.writeBytes(bytes);
                if (target.errorOutputType().isPresent()) {
                    content.write('\n');
                }
            }

            @Override
            public void finish() {}

            @Override
            public DeliveryOutcome store() {
                attempts.incrementAndGet();
                if (failing) {
                    return new DeliveryOutcome.Retry("S3.ServiceUnavailable", "store down");
                }
                stored.add(new Stored(target, content.toByteArray()));
                return DeliveryOutcome.DELIVERED;
            }

            @Override
            public void close() {}
        };
    }
}
