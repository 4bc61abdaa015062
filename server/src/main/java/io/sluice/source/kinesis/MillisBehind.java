package io.sluice.source.kinesis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code KinesisMillisBehindLatest} of one stream: the most any of its shards being read was behind the
 * newest record of the shard, as its last {@code GetRecords} answer said. A finished shard no longer counts.
 */
final class MillisBehind {
    private final Map<String, Long> byShard = new ConcurrentHashMap<>();

    void update(String shard, long millis) {
        byShard.put(shard, millis);
    }

    void finished(String shard) {
        byShard.remove(shard);
    }

    double max() {
        return byShard.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
