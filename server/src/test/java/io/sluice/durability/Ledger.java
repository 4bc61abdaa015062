package io.sluice.durability;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What producers sent and what Sluice acknowledged, across server restarts. Each record is one line,
 * {@code <stream>/<producer>/<seq>|<padding>\n}, unique in the test, so records can be found again in
 * the record log and inside delivered objects (which concatenate them byte for byte).
 */
final class Ledger {
    /** One producer: a thread that puts to one stream, one request at a time. */
    static final class Producer {
        private final String stream;
        private final String name;
        private final List<String> acknowledged = new ArrayList<>();
        private long nextSeq;

        private Producer(String stream, String name) {
            this.stream = stream;
            this.name = name;
        }

        String stream() {
            return stream;
        }

        /** The ids of the next {@code count} records; they count as sent from now on. */
        synchronized List<String> next(int count) {
            List<String> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(stream + "/" + name + "/" + nextSeq++);
            }
            return ids;
        }

        synchronized void acknowledged(List<String> ids) {
            acknowledged.addAll(ids);
        }

        /** Acknowledged ids in the order they were acknowledged. */
        synchronized List<String> acknowledgedIds() {
            return List.copyOf(acknowledged);
        }

        synchronized boolean sent(String id) {
            String[] parts = id.split("/", -1);
            return parts.length == 3
                    && parts[0].equals(stream)
                    && parts[1].equals(name)
                    && Long.parseLong(parts[2]) < nextSeq;
        }
    }

    private final Map<String, Producer> producers = new ConcurrentHashMap<>();

    /** The producer {@code index} of {@code stream}, created on first use. */
    Producer producer(String stream, int index) {
        String name = "p" + index;
        return producers.computeIfAbsent(stream + "/" + name, k -> new Producer(stream, name));
    }

    List<Producer> producers() {
        return List.copyOf(producers.values());
    }

    /** Every acknowledged id of every producer. */
    List<String> acknowledged() {
        return producers.values().stream()
                .flatMap(p -> p.acknowledgedIds().stream())
                .toList();
    }

    int acknowledgedCount() {
        return producers.values().stream()
                .mapToInt(p -> p.acknowledgedIds().size())
                .sum();
    }

    /** Whether {@code id} was ever sent, acknowledged or not. */
    boolean sent(String id) {
        int slash = id.lastIndexOf('/');
        Producer producer = slash < 0 ? null : producers.get(id.substring(0, slash));
        return producer != null && producer.sent(id);
    }

    /** The bytes of the record with this id, {@code size} bytes long (at least the id and two). */
    static byte[] payload(String id, int size) {
        byte[] bytes = new byte[Math.max(size, id.length() + 2)];
        Arrays.fill(bytes, (byte) 'x');
        byte[] head = (id + "|").getBytes(UTF_8);
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[bytes.length - 1] = '\n';
        return bytes;
    }

    /** The id of a record's bytes (with or without its newline). */
    static String id(String line) {
        int bar = line.indexOf('|');
        if (bar < 0) {
            throw new AssertionError("not a record of this test: " + line.substring(0, Math.min(80, line.length())));
        }
        return line.substring(0, bar);
    }

    /** The ids of the records concatenated in {@code text}, in order. */
    static List<String> ids(String text) {
        List<String> ids = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                ids.add(id(line));
            }
        }
        return ids;
    }
}
