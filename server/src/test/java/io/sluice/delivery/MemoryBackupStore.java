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
 * A backup store for engine tests: keeps stored objects in memory, and fails every store between
 * {@link #fail()} and {@link #recover()}. Error documents are newline-terminated, as the S3 store writes them.
 */
final class MemoryBackupStore implements BackupStore {
    record Stored(BackupTarget target, byte[] content) {}

    private final List<Stored> stored = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private final AtomicInteger attempts = new AtomicInteger();

    void fail() {
        failing = true;
    }

    void recover() {
        failing = false;
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
