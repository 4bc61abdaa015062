package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
import io.sluice.destination.PreparedBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The S3 destination: each batch becomes one object under the stream's prefix, named as Firehose
 * names it, encoded in the stream's compression format in a staging file and then stored. With
 * {@code S3BackupMode} Enabled the batch's source records also become an object under the backup
 * configuration; the batch is delivered when both are stored, and a retry stores only what is missing.
 */
public final class S3Destination implements Destination {
    private final S3DestinationSpec spec;
    private final ObjectKeys keys;
    private final Optional<ObjectKeys> backupKeys;
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
        this.backupKeys = spec.backup()
                .filter(b -> spec.backupEnabled())
                .map(b -> ObjectKeys.of(stream.ref().name(), stream.version(), b, uuids));
    }

    @Override
    public BatchEncoder encoder(BatchInfo batch) throws IOException {
        List<Part> parts = new ArrayList<>();
        try {
            parts.add(Part.open(spec.bucket(), ObjectFormat.of(spec), keys, staging, clock, uuids, spec.roleArn()));
            if (backupKeys.isPresent()) {
                S3DestinationSpec backup = spec.backup().orElseThrow();
                parts.add(Part.open(
                        backup.bucket(),
                        new ObjectFormat(backup.compression(), false),
                        backupKeys.get(),
                        staging,
                        clock,
                        uuids,
                        backup.roleArn()));
            }
        } catch (IOException | RuntimeException e) {
            parts.forEach(Part::discard);
            throw e;
        }
        return new Encoder(batch.firstArrival(), parts);
    }

    @Override
    public DeliveryOutcome send(PreparedBatch batch) {
        Prepared prepared = (Prepared) batch;
        for (Part part : prepared.parts) {
            if (part.stored) {
                continue;
            }
            ObjectContent content;
            try {
                content = ObjectContent.of(part.file);
            } catch (IOException e) {
                return new DeliveryOutcome.Retry("InternalError", "staged object unreadable: " + e.getMessage());
            }
            PutOutcome outcome = store.put(new PutObject(
                    part.bucket,
                    part.key,
                    content,
                    ObjectFormat.CONTENT_TYPE,
                    part.contentEncoding,
                    Optional.of(part.roleArn)));
            switch (outcome) {
                case PutOutcome.Stored stored -> part.stored = true;
                case PutOutcome.Failure failure -> {
                    return new DeliveryOutcome.Retry(
                            failure.errorCode(), failure.message() + " (s3://" + part.bucket + "/" + part.key + ")");
                }
            }
        }
        return DeliveryOutcome.DELIVERED;
    }

    /** One object of a batch: its staging file while it is written, then its key once known. */
    private static final class Part {
        final String bucket;
        final ObjectKeys keys;
        final Path file;
        final ObjectEncoder encoder;
        final Optional<String> contentEncoding;
        final String roleArn;
        String key;
        volatile boolean stored;

        private Part(String bucket, ObjectKeys keys, Path file, ObjectEncoder encoder, String roleArn) {
            this.bucket = bucket;
            this.keys = keys;
            this.file = file;
            this.encoder = encoder;
            this.contentEncoding = encoder.contentEncoding();
            this.roleArn = roleArn;
        }

        static Part open(
                String bucket,
                ObjectFormat format,
                ObjectKeys keys,
                Path staging,
                Clock clock,
                Supplier<UUID> uuids,
                String roleArn)
                throws IOException {
            Path file = staging.resolve(uuids.get() + ".object");
            return new Part(bucket, keys, file, ObjectEncoder.create(format, file, uuids, clock), roleArn);
        }

        void discard() {
            try {
                encoder.close();
            } catch (IOException e) {
                // the staging file is deleted next; its content no longer matters
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the engine empties the staging directory at start
            }
        }
    }

    private static final class Encoder implements BatchEncoder {
        private final Instant firstArrival;
        private final List<Part> parts;
        private long records;
        private long bytes;
        private boolean finished;

        Encoder(Instant firstArrival, List<Part> parts) {
            this.firstArrival = firstArrival;
            this.parts = parts;
        }

        @Override
        public void add(ByteBuffer data, Instant arrival) throws IOException {
            for (Part part : parts) {
                part.encoder.append(data.duplicate());
            }
            records++;
            bytes += data.remaining();
        }

        @Override
        public PreparedBatch finish() throws IOException {
            for (Part part : parts) {
                part.encoder.close();
            }
            try {
                for (Part part : parts) {
                    part.key = part.keys.dataKey(firstArrival);
                }
            } catch (PrefixTooLongException e) {
                throw new IOException(e.errorCode() + ": " + e.getMessage(), e);
            }
            finished = true;
            return new Prepared(parts, records, bytes);
        }

        @Override
        public void close() {
            if (!finished) {
                parts.forEach(Part::discard);
            }
        }
    }

    private record Prepared(List<Part> parts, long records, long bytes) implements PreparedBatch {
        @Override
        public void close() {
            parts.forEach(Part::discard);
        }
    }
}
