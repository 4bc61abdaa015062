package io.sluice.delivery;

import io.sluice.destination.BackupStore;
import io.sluice.destination.BackupTarget;
import io.sluice.destination.DeliveryOutcome;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backup store for engine tests: keeps stored objects in memory, and fails the first
 * {@link #failNext(int)} stores. Error documents are newline-terminated, as the S3 store writes them.
 */
final class MemoryBackupStore implements BackupStore {
    record Stored(BackupTarget target, byte[] content) {}

    private final List<Stored> stored = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();

    void failNext(int count) {
        failures.set(count);
    }

    List<Stored> stored() {
        return List.copyOf(stored);
    }

    int attempts() {
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
                if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
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
