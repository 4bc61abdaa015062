package io.sluice.destination;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.processor.PartitionKeys;
import java.time.Instant;

/**
 * What a destination knows of a batch before its records arrive: the stream as configured when the
 * batch began (its version names S3 objects), the arrival time of the batch's oldest record, a sequence
 * number unique per stream and run, and the partition keys every record of the batch shares.
 */
public record BatchInfo(DeliveryStream stream, Instant firstArrival, long sequence, PartitionKeys partitionKeys) {
    public BatchInfo {
        requireNonNull(stream, "stream is null");
        requireNonNull(firstArrival, "firstArrival is null");
        requireNonNull(partitionKeys, "partitionKeys is null");
    }
}
