package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.destination.BackupStore;
import io.sluice.destination.BackupTarget;
import io.sluice.destination.DeliveryOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Writes error output and backup copies with the S3 destination's writer: each object is encoded in the
 * target's {@code CompressionFormat} into a staging file, named by {@link ObjectKeys} (the error prefix
 * with the error-output type, or the data prefix) and put to the {@link ObjectStore}. Error documents
 * are newline-delimited; backup copies are the records' bytes as put, as an S3 destination writes them.
 */
public final class S3BackupStore implements BackupStore {
    private final ObjectStore store;
    private final Path staging;
    private final Clock clock;
    private final Supplier<UUID> uuids;

    public S3BackupStore(ObjectStore store, Path staging, Clock clock, Supplier<UUID> uuids) {
        this.store = requireNonNull(store, "store is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
    }

    @Override
    public BackupWriter open(BackupTarget target) throws IOException {
        ObjectKeys keys =
                ObjectKeys.of(target.stream().ref().name(), target.stream().version(), target.location(), uuids);
        String key;
        try {
            key = target.errorOutputType()
                    .map(type -> keys.errorKey(target.oldestArrival(), ErrorOutputType.fromText(type)))
                    .orElseGet(() -> keys.dataKey(target.oldestArrival()));
        } catch (PrefixTooLongException e) {
            throw new IOException(e.errorCode() + ": " + e.getMessage(), e);
        }
        ObjectFormat format = new ObjectFormat(
                target.location().compression(), target.errorOutputType().isPresent());
        Path file = staging.resolve(uuids.get() + ".backup");
        return new Writer(target, key, file, ObjectEncoder.create(format, file, store, uuids, clock));
    }

    private final class Writer implements BackupWriter {
        private final BackupTarget target;
        private final String key;
        private final Path file;
        private final ObjectEncoder encoder;
        private boolean finished;

        Writer(BackupTarget target, String key, Path file, ObjectEncoder encoder) {
            this.target = target;
            this.key = key;
            this.file = file;
            this.encoder = encoder;
        }

        @Override
        public void append(ByteBuffer record) throws IOException {
            encoder.append(record);
        }

        @Override
        public void finish() throws IOException {
            encoder.close();
            finished = true;
        }

        @Override
        public DeliveryOutcome store() {
            if (!finished) {
                throw new IllegalStateException("store before finish");
            }
            ObjectContent content;
            try {
                content = ObjectContent.of(file);
            } catch (IOException e) {
                return new DeliveryOutcome.Retry("InternalError", "staged object unreadable: " + e.getMessage());
            }
            String bucket = target.location().bucket();
            PutOutcome outcome = store.put(new PutObject(
                    bucket,
                    key,
                    content,
                    ObjectFormat.CONTENT_TYPE,
                    encoder.contentEncoding(),
                    Optional.of(target.location().roleArn())));
            return switch (outcome) {
                case PutOutcome.Stored stored -> DeliveryOutcome.DELIVERED;
                case PutOutcome.Failure failure ->
                    new DeliveryOutcome.Retry(
                            failure.errorCode(), failure.message() + " (s3://" + bucket + "/" + key + ")");
            };
        }

        @Override
        public void close() {
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
}
