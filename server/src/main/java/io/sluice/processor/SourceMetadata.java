package io.sluice.processor;

import static java.util.Objects.requireNonNull;

/**
 * What a record's source says about it besides its data and arrival: nothing for a put, the shard,
 * partition key and sequence numbers of a Kinesis record, the partition and offset of a Kafka record.
 * Lambda events carry it ({@code kinesisRecordMetadata}, {@code mskRecordMetadata}, delivery spec
 * §6.1.3).
 */
public sealed interface SourceMetadata {
    /** A record put with PutRecord or PutRecordBatch. */
    SourceMetadata PUT = new Put();

    /** A record put with PutRecord or PutRecordBatch: Firehose knows nothing more of it. */
    record Put() implements SourceMetadata {}

    /**
     * A record read from a Kinesis data stream.
     *
     * @param subsequenceNumber the user record's index in a KPL aggregate, 0 for a record not aggregated
     */
    record Kinesis(String shardId, String partitionKey, String sequenceNumber, int subsequenceNumber)
            implements SourceMetadata {
        public Kinesis {
            requireNonNull(shardId, "shardId is null");
            requireNonNull(partitionKey, "partitionKey is null");
            requireNonNull(sequenceNumber, "sequenceNumber is null");
            if (subsequenceNumber < 0) {
                throw new IllegalArgumentException("subsequenceNumber must not be negative: " + subsequenceNumber);
            }
        }
    }

    /** A record read from a Kafka topic. */
    record Kafka(int partition, long offset) implements SourceMetadata {
        public Kafka {
            if (partition < 0 || offset < 0) {
                throw new IllegalArgumentException("partition and offset must not be negative");
            }
        }
    }
}
