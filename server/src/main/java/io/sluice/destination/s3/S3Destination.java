package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import io.sluice.processor.PartitionKeys;
import io.sluice.processor.ProcessorRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The S3 destination: each batch becomes one object under the stream's prefix, named as Firehose
 * names it, encoded in the stream's compression format in a staging file and then stored. A batch is
 * delivered whole or not at all. (With {@code S3BackupMode} Enabled the engine writes the source records
 * to the backup configuration, as it does for every destination's backup.)
 */
public final class S3Destination implements Destination {
    private final S3DestinationSpec spec;
    private final ObjectKeys keys;
    private final ObjectStore store;
    private final Path staging;
    private final Clock clock;
    private final Supplier<UUID> uuids;

    public S3Destination(
            DeliveryStream stream,
            S3DestinationSpec spec,
            ObjectStore store,
            Path staging,
            Clock clock,
            Supplier<UUID> uuids) {
        this.spec = requireNonNull(spec, "spec is null");
        this.store = requireNonNull(store, "store is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
        this.keys = ObjectKeys.of(stream.ref().name(), stream.version(), spec, uuids);
    }

    @Override
    public BatchEncoder encoder(BatchInfo batch) throws IOException {
        Path file = staging.resolve(uuids.get() + ".object");
        return new Encoder(
                batch.firstArrival(),
                batch.partitionKeys(),
                file,
                ObjectEncoder.create(ObjectFormat.of(spec), file, store, uuids, clock));
    }

    @Override
    public DeliveryOutcome send(PreparedBatch batch) {
        Prepared prepared = (Prepared) batch;
        ObjectContent content;
        try {
            content = ObjectContent.of(prepared.file());
        } catch (IOException e) {
            return new DeliveryOutcome.Retry("InternalError", "staged object unreadable: " + e.getMessage());
        }
        PutOutcome outcome = store.put(new PutObject(
                spec.bucket(),
                prepared.key(),
                content,
                ObjectFormat.CONTENT_TYPE,
                prepared.contentEncoding(),
                Optional.of(spec.roleArn())));
        return switch (outcome) {
            case PutOutcome.Stored stored -> DeliveryOutcome.DELIVERED;
            case PutOutcome.Failure failure ->
                new DeliveryOutcome.Retry(
                        failure.errorCode(),
                        failure.message() + " (s3://" + spec.bucket() + "/" + prepared.key() + ")");
        };
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the engine empties the staging directory at start
        }
    }

    /** Encodes a batch's records into its staging file; the key is named when it is finished. */
    private final class Encoder implements BatchEncoder {
        private final Instant firstArrival;
        private final PartitionKeys partitionKeys;
        private final Path file;
        private final ObjectEncoder encoder;
        private long records;
        private long bytes;
        private boolean finished;

        Encoder(Instant firstArrival, PartitionKeys partitionKeys, Path file, ObjectEncoder encoder) {
            this.firstArrival = firstArrival;
            this.partitionKeys = partitionKeys;
            this.file = file;
            this.encoder = encoder;
        }

        @Override
        public void add(ProcessorRecord record) throws IOException {
            ByteBuffer data = record.data();
            bytes += data.remaining();
            encoder.append(data.duplicate());
            records++;
        }

        @Override
        public PreparedBatch finish() throws IOException {
            encoder.close();
            String key;
            try {
                key = keys.dataKey(firstArrival, partitionKeys);
            } catch (PrefixTooLongException e) {
                throw new IOException(e.errorCode() + ": " + e.getMessage(), e);
            }
            finished = true;
            return new Prepared(file, key, encoder.contentEncoding(), records, bytes);
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                try {
                    encoder.close();
                } finally {
                    delete(file);
                }
            }
        }
    }

    /** An encoded object in its staging file, with its key: the same object on every attempt. */
    private record Prepared(Path file, String key, Optional<String> contentEncoding, long records, long bytes)
            implements PreparedBatch {
        @Override
        public void close() {
            delete(file);
        }
    }
}
