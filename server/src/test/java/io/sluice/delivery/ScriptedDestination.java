package io.sluice.delivery;

import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
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
    record Received(BatchInfo info, List<byte[]> records) {}

    private final List<Received> delivered = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile Function<Prepared, DeliveryOutcome> script = batch -> DeliveryOutcome.DELIVERED;

    final class Prepared implements PreparedBatch {
        final BatchInfo info;
        final List<byte[]> records;
        final long bytes;
        boolean closed;

        Prepared(BatchInfo info, List<byte[]> records, long bytes) {
            this.info = info;
            this.records = records;
            this.bytes = bytes;
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
        return new BatchEncoder() {
            long bytes;

            @Override
            public void add(ByteBuffer data, Instant arrival) {
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                byte[] bytesOf = new byte[data.remaining()];
                data.duplicate().get(bytesOf);
                copy.writeBytes(bytesOf);
                records.add(copy.toByteArray());
                bytes += bytesOf.length;
            }

            @Override
            public PreparedBatch finish() {
                return new Prepared(batch, List.copyOf(records), bytes);
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
        if (outcome instanceof DeliveryOutcome.Delivered) {
            delivered.add(new Received(prepared.info, prepared.records));
        }
        return outcome;
    }
}
