package io.sluice.source;

import static java.util.Objects.requireNonNull;

import io.sluice.processor.SourceMetadata;
import java.nio.ByteBuffer;

/**
 * A record a source reader read, to be appended to its stream's log.
 *
 * @param arrivalMillis when the source accepted it (Kinesis: {@code ApproximateArrivalTimestamp}; Kafka: the
 *     record's timestamp), epoch milliseconds
 * @param data the record's bytes from position to limit; not changed until appended
 */
public record SourceRecord(long arrivalMillis, ByteBuffer data, SourceMetadata metadata) {
    public SourceRecord {
        requireNonNull(data, "data is null");
        requireNonNull(metadata, "metadata is null");
        if (arrivalMillis < 0) {
            throw new IllegalArgumentException("arrival time is not before the epoch: " + arrivalMillis);
        }
    }
}
