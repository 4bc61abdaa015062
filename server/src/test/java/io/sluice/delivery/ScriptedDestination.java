package io.sluice.delivery;

import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import io.sluice.processor.ProcessorRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A destination for engine tests that keeps what it receives in memory and answers each attempt as a
 * script says. Batches here are small; real destinations stage them on disk.
 */
final class ScriptedDestination implements Destination {
    /** One received batch: its records in order. */
    record Received(BatchInfo info, List<byte[]> records, List<Origin> origins) {}

    private final List<Received> delivered = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile Function<Prepared, DeliveryOutcome> script = batch -> DeliveryOutcome.DELIVERED;

    /** Where a record came from: its stream position and subsequence number. */
    record Origin(long position, int subsequence) {}

    final class Prepared implements PreparedBatch {
        final BatchInfo info;
        final List<byte[]> records;
        final List<Origin> origins;
        final long bytes;
        boolean closed;

        Prepared(BatchInfo info, List<byte[]> records, List<Origin> origins) {
            this.info = info;
            this.records = List.copyOf(records);
            this.origins = List.copyOf(origins);
            this.bytes = records.stream().mapToLong(r -> r.length).sum();
        }

        @Override
        public PreparedBatch retain(int[] indexes) {
            List<byte[]> kept = new ArrayList<>();
            List<Origin> keptOrigins = new ArrayList<>();
            for (int index : indexes) {
                kept.add(records.get(index));
                keptOrigins.add(origins.get(index));
            }
            return new Prepared(info, kept, keptOrigins);
        }

        @Override
        public long records() {
            return records.size();
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    void answer(Function<Prepared, DeliveryOutcome> newScript) {
        this.script = newScript;
    }

    List<Received> delivered() {
        return List.copyOf(delivered);
    }

    List<String> deliveredRecords() {
        List<String> all = new ArrayList<>();
        delivered.forEach(r ->
                r.records().forEach(b -> all.add(new String(b, java.nio.charset.StandardCharsets.UTF_8))));
        return all;
    }

    int attempts() {
        return attempts.get();
    }

    @Override
    public BatchEncoder encoder(BatchInfo batch) {
        List<byte[]> records = new ArrayList<>();
        List<Origin> origins = new ArrayList<>();
        return new BatchEncoder() {
            @Override
            public void add(ProcessorRecord record) {
                byte[] copy = new byte[record.data().remaining()];
                record.data().duplicate().get(copy);
                records.add(copy);
                origins.add(new Origin(record.position(), record.subsequence()));
            }

            @Override
            public PreparedBatch finish() {
                return new Prepared(batch, records, origins);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public DeliveryOutcome send(PreparedBatch batch) {
        attempts.incrementAndGet();
        Prepared prepared = (Prepared) batch;
        DeliveryOutcome outcome = script.apply(prepared);
        if (outcome instanceof DeliveryOutcome.Partial partial) {
            List<byte[]> kept = new ArrayList<>();
            List<Origin> keptOrigins = new ArrayList<>();
            for (int i = 0; i < prepared.records.size(); i++) {
                if (!partial.failures().containsKey(i)) {
                    kept.add(prepared.records.get(i));
                    keptOrigins.add(prepared.origins.get(i));
                }
            }
            delivered.add(new Received(prepared.info, kept, keptOrigins));
        }
        if (outcome instanceof DeliveryOutcome.Delivered) {
            delivered.add(new Received(prepared.info, prepared.records, prepared.origins));
        }
        return outcome;
    }
}
