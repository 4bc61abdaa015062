package io.sluice.destination.scripted;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import io.sluice.processor.ProcessorRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Delivers every batch into a {@link Sink} in memory, with the account URL it was configured with
 * when sent. Batches in these tests are small; real destinations stage them on disk.
 */
final class MemoryDestination implements Destination {
    /** One delivered batch: the stream, the account URL of its configuration, the records as text. */
    record Delivery(String stream, String accountUrl, List<String> texts) {}

    /**
     * What every destination of one type delivered, in order, and how it answers: every record delivered,
     * every attempt failing (retryable), or some records refused one by one. Thread-safe.
     */
    static final class Sink {
        private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        private volatile boolean down;
        private volatile Optional<String> refused = Optional.empty();

        /** Every later attempt fails, as an outage would, until {@link #recover()}. */
        void fail() {
            down = true;
        }

        /** Later attempts deliver every record but those whose text is {@code text}, refused as retryable. */
        void refuse(String text) {
            refused = Optional.of(text);
        }

        void recover() {
            down = false;
            refused = Optional.empty();
        }

        List<Delivery> deliveries() {
            return List.copyOf(deliveries);
        }

        /** The records delivered for {@code stream}, in order. */
        List<String> texts(String stream) {
            return deliveries.stream()
                    .filter(d -> d.stream().equals(stream))
                    .flatMap(d -> d.texts().stream())
                    .toList();
        }
    }

    private record Batch(List<String> texts) implements PreparedBatch {
        @Override
        public long records() {
            return texts.size();
        }

        @Override
        public long bytes() {
            return texts.stream().mapToLong(t -> t.getBytes(UTF_8).length).sum();
        }

        @Override
        public PreparedBatch retain(int[] indexes) {
            List<String> kept = new ArrayList<>();
            for (int index : indexes) {
                kept.add(texts.get(index));
            }
            return new Batch(kept);
        }

        @Override
        public void close() {}
    }

    private final String stream;
    private final SnowflakeSpec spec;
    private final Sink sink;

    MemoryDestination(String stream, SnowflakeSpec spec, Sink sink) {
        this.stream = requireNonNull(stream, "stream is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.sink = requireNonNull(sink, "sink is null");
    }

    @Override
    public BatchEncoder encoder(BatchInfo batch) {
        List<String> texts = new ArrayList<>();
        return new BatchEncoder() {
            @Override
            public void add(ProcessorRecord record) {
                texts.add(UTF_8.decode(record.data().duplicate()).toString());
            }

            @Override
            public PreparedBatch finish() {
                return new Batch(List.copyOf(texts));
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public DeliveryOutcome send(PreparedBatch batch) {
        List<String> texts = ((Batch) batch).texts();
        if (sink.down) {
            return new DeliveryOutcome.Retry("Snowflake.Unavailable", "the Snowflake account is unreachable");
        }
        SortedMap<Integer, DeliveryOutcome.Failure> failures = new TreeMap<>();
        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (sink.refused.filter(texts.get(i)::equals).isPresent()) {
                failures.put(i, new DeliveryOutcome.Retry("Snowflake.RowNotInserted", "the row was not inserted"));
            } else {
                delivered.add(texts.get(i));
            }
        }
        sink.deliveries.add(new Delivery(stream, spec.accountUrl(), delivered));
        return failures.isEmpty() ? DeliveryOutcome.DELIVERED : new DeliveryOutcome.Partial(failures);
    }
}
