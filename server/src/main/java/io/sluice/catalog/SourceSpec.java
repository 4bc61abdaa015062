package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A stream's source when its records are not put but read (delivery spec §2.2, §2.3), as created;
 * {@code deliveryStart} is when reading began, set by the catalog when it creates the stream.
 */
public sealed interface SourceSpec {
    /** The stream type this source belongs to. */
    DeliveryStreamType type();

    /** The ARN of what is read: the Kinesis data stream or the MSK cluster. */
    String sourceArn();

    /** The role Firehose assumes to read it. */
    String roleArn();

    Optional<Instant> deliveryStart();

    /** This source with {@code deliveryStart} set. */
    SourceSpec startingAt(Instant start);

    /** {@code KinesisStreamSourceConfiguration}: reading starts at {@code deliveryStart} (no backfill). */
    record KinesisStream(String streamArn, String roleArn, Optional<Instant> deliveryStart) implements SourceSpec {
        public KinesisStream {
            requireNonNull(streamArn, "streamArn is null");
            requireNonNull(roleArn, "roleArn is null");
            requireNonNull(deliveryStart, "deliveryStart is null");
        }

        @Override
        public DeliveryStreamType type() {
            return DeliveryStreamType.KINESIS_STREAM_AS_SOURCE;
        }

        @Override
        public String sourceArn() {
            return streamArn;
        }

        @Override
        public KinesisStream startingAt(Instant start) {
            return new KinesisStream(streamArn, roleArn, Optional.of(start));
        }

        /** The stream's name: the ARN's resource after {@code stream/}. */
        public String streamName() {
            return streamArn.substring(streamArn.lastIndexOf("stream/") + "stream/".length());
        }

        /** The stream's region: the ARN's fourth field. */
        public String region() {
            return streamArn.split(":", 6)[3];
        }
    }

    /**
     * {@code MSKSourceConfiguration}: reading starts at {@code readFromTimestamp} if given (the epoch means
     * the earliest record), else at {@code deliveryStart}.
     *
     * @param connectivity {@code PUBLIC} or {@code PRIVATE}, as configured
     */
    record Msk(
            String clusterArn,
            String topicName,
            String roleArn,
            String connectivity,
            Optional<Instant> readFromTimestamp,
            Optional<Instant> deliveryStart)
            implements SourceSpec {
        public Msk {
            requireNonNull(clusterArn, "clusterArn is null");
            requireNonNull(topicName, "topicName is null");
            requireNonNull(roleArn, "roleArn is null");
            requireNonNull(connectivity, "connectivity is null");
            requireNonNull(readFromTimestamp, "readFromTimestamp is null");
            requireNonNull(deliveryStart, "deliveryStart is null");
        }

        @Override
        public DeliveryStreamType type() {
            return DeliveryStreamType.MSK_AS_SOURCE;
        }

        @Override
        public String sourceArn() {
            return clusterArn;
        }

        @Override
        public Msk startingAt(Instant start) {
            return new Msk(clusterArn, topicName, roleArn, connectivity, readFromTimestamp, Optional.of(start));
        }

        /** Where reading starts when nothing was read yet. */
        public Instant startPosition() {
            return readFromTimestamp.or(() -> deliveryStart).orElse(Instant.EPOCH);
        }
    }
}
