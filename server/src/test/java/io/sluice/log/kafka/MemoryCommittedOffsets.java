package io.sluice.log.kafka;

import io.sluice.log.StreamKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Committed offsets in memory, for tests of the Kafka log: what several logs sharing one PostgreSQL see. */
final class MemoryCommittedOffsets implements CommittedOffsets {
    private final Map<StreamKey, Long> offsets = new ConcurrentHashMap<>();

    @Override
    public long committed(StreamKey stream) {
        return offsets.getOrDefault(stream, 0L);
    }

    @Override
    public void commit(StreamKey stream, long offset) {
        offsets.merge(stream, offset, Math::max);
    }

    @Override
    public void forget(StreamKey stream) {
        offsets.remove(stream);
    }
}
