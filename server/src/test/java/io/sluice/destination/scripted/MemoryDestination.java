package io.sluice.destination.scripted;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Delivers every batch into a {@link Sink} in memory, with the endpoint it was configured with when
 * sent. Batches in these tests are small; real destinations stage them on disk.
 */
final class MemoryDestination implements Destination {
    /** One delivered batch: the stream, the endpoint of its configuration, the records as text. */
    record Delivery(String stream, String endpoint, List<String> texts) {}

    /** What every destination of one type delivered, in order. Thread-safe. */
    static final class Sink {
        private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

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

    private record Batch(List<String> texts, long bytes) implements PreparedBatch {
        @Override
        public long records() {
            return texts.size();
        }

        @Override
        public void close() {}
    }

    private final String stream;
    private final SplunkSpec spec;
    private final Sink sink;

    MemoryDestination(String stream, SplunkSpec spec, Sink sink) {
        this.stream = requireNonNull(stream, "stream is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.sink = requireNonNull(sink, "sink is null");
    }

    @Override
    public BatchEncoder encoder(BatchInfo batch) {
        List<String> texts = new ArrayList<>();
        return new BatchEncoder() {
            private long bytes;

            @Override
            public void add(ByteBuffer data, Instant arrival) {
                bytes += data.remaining();
                texts.add(UTF_8.decode(data.duplicate()).toString());
            }

            @Override
            public PreparedBatch finish() {
                return new Batch(List.copyOf(texts), bytes);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public DeliveryOutcome send(PreparedBatch batch) {
        sink.deliveries.add(new Delivery(stream, spec.endpoint(), ((Batch) batch).texts()));
        return DeliveryOutcome.DELIVERED;
    }
}
