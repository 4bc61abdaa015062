package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.BackupStore;
import io.sluice.destination.BackupTarget;
import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.Destination;
import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.ErrorDocuments;
import io.sluice.destination.PreparedBatch;
import io.sluice.log.LogCorruptException;
import io.sluice.log.LogException;
import io.sluice.log.LogRecord;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.processor.PartitionKeys;
import io.sluice.processor.ProcessingFailure;
import io.sluice.processor.ProcessorChain;
import io.sluice.processor.ProcessorRecord;
import io.sluice.processor.SourceMetadataHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one stream. Waits until its buffer is due by the stream's hints (the log holds at least the
 * size hint, or the oldest unread record has waited the interval), then reads that much in a
 * <em>pass</em>: each record runs through the processor stage ({@link ProcessorChain}) and each record
 * that comes out goes to the batch of its partition keys, which the destination encodes as it fills. A
 * batch is sealed and sent as soon as it reaches the size hint or the destination's record limit, or
 * when its own oldest record has waited the interval (checked at the end of every pass and while
 * waiting), so each partition is flushed by its own hints. Records that fail in the processor stage are
 * written to the error output. Up to {@code maxInFlight} batches are sent at once, each by
 * {@link BatchDelivery}: retried as a whole or per record, given up on per the destination's policy,
 * with error output and backups. The log is committed to the lowest position not yet finished
 * ({@link CommitTracker}). A restart resumes at the committed position: what was in flight then is
 * delivered again.
 */
final class StreamPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPipeline.class);

    /** The stream as configured now, with what its configuration builds. */
    record Current(DeliveryStream stream, Destination destination, DeliveryPolicy policy, ProcessorChain chain) {}

    /** What every pipeline of an engine shares. */
    record Context(
            RecordLog log,
            DestinationRegistry destinations,
            BackupStore backups,
            RecordPayloads payloads,
            DeliveryListener listener,
            DeliveryConfig config,
            Clock clock,
            RandomGenerator random) {
        Context {
            requireNonNull(log, "log is null");
            requireNonNull(destinations, "destinations is null");
            requireNonNull(backups, "backups is null");
            requireNonNull(payloads, "payloads is null");
            requireNonNull(listener, "listener is null");
            requireNonNull(config, "config is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(random, "random is null");
        }
    }

    private final StreamKey key;
    private final Context context;
    private final Backoff backoff;
    private final Semaphore inFlight;
    private final AtomicReference<Current> current;
    private final Set<Thread> senders = ConcurrentHashMap.newKeySet();
    /**
     * The error codes delivery of this stream has failed with since it last succeeded, in order: each
     * is logged once per outage, however many attempts and batches meet it. Guarded by itself.
     */
    private final Set<String> failingWith = new LinkedHashSet<>();
    /** Attempts failed since delivery of this stream last succeeded; guarded by {@link #failingWith}. */
    private int failedAttempts;
    /** Batches begun in this run, numbering them. Used by the pipeline thread only. */
    private long batchesBegun;

    private volatile boolean running = true;
    private Thread loop;

    StreamPipeline(DeliveryStream stream, Context context) {
        this.key = new StreamKey(stream.uid());
        this.context = context;
        this.backoff =
                new Backoff(context.config().minBackoff(), context.config().maxBackoff(), Backoff.Jitter.HALF_TO_FULL);
        this.inFlight = new Semaphore(context.config().maxInFlight());
        this.current =
                new AtomicReference<>(current(stream, context.destinations().create(stream)));
    }

    void start() {
        loop = Thread.ofVirtual()
                .name("delivery-" + current.get().stream().ref().name())
                .start(this::run);
    }

    /** Takes a changed configuration; it applies from the next batch on. */
    void update(DeliveryStream stream) {
        Current before = current.get();
        Destination destination = before.stream().version() != stream.version()
                ? context.destinations().create(stream)
                : before.destination();
        current.set(current(stream, destination));
    }

    private Current current(DeliveryStream stream, Destination destination) {
        DeliveryPolicy policy = context.destinations().policy(stream);
        return new Current(stream, destination, policy, ProcessorChain.of(policy.processors()));
    }

    /** Stops reading and sending; what is not committed is delivered again after a restart. */
    void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        senders.forEach(Thread::interrupt);
    }

    /** Waits for the pipeline's threads to end (after {@link #stop()}). */
    void awaitStopped(Duration timeout) throws InterruptedException {
        if (loop != null) {
            loop.join(timeout);
        }
        for (Thread sender : senders) {
            sender.join(timeout);
        }
    }

    boolean running() {
        return running;
    }

    /**
     * Delivers until stopped. An unexpected failure (a record that cannot be read or decrypted, say)
     * is logged and delivery starts over from the committed offset after a backoff: nothing is skipped.
     */
    private void run() {
        int failures = 0;
        while (running) {
            try {
                deliverFromCommitted();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (StreamDeletedException e) {
                LOG.debug("Delivery stream {} was deleted; its pipeline ends", key);
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                failures++;
                LOG.error(
                        "Delivery of stream {} failed unexpectedly; starting again from its last delivered record",
                        current.get().stream().ref().arn(),
                        e);
                try {
                    Thread.sleep(backoff.delay(failures, context.random()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void deliverFromCommitted() throws InterruptedException {
        StreamReader reader = context.log().openReader(key);
        CommitTracker tracker = new CommitTracker(reader.position());
        Partitions partitions = new Partitions(tracker);
        try {
            int failures = 0;
            while (running) {
                Current now = current.get();
                long passStart = reader.position();
                Pass pass = new Pass(now, tracker, partitions);
                try {
                    partitions.sealDue(now);
                    Optional<Duration> wait = untilReady(reader, now.policy().hints());
                    if (wait.isPresent()) {
                        Thread.sleep(wait.get());
                        continue;
                    }
                    pass.read(reader);
                    pass.finish();
                } catch (IOException | UncheckedIOException | LogCorruptException e) {
                    long from = partitions.abandon(passStart);
                    pass.abandon();
                    failures++;
                    if (failures == 1) {
                        LOG.error(
                                "Delivery stream {} cannot read or encode its next batch ({}); it delivers nothing until"
                                        + " this succeeds, retrying with backoff",
                                now.stream().ref().arn(),
                                e.toString());
                    } else {
                        LOG.debug(
                                "Delivery stream {} still cannot read or encode its next batch (attempt {}): {}",
                                now.stream().ref().arn(),
                                failures,
                                e.toString());
                    }
                    reader.close();
                    reader = context.log().openReader(key, from);
                    Thread.sleep(backoff.delay(failures, context.random()));
                    continue;
                } catch (RuntimeException | InterruptedException e) {
                    partitions.abandon(passStart);
                    pass.abandon();
                    throw e;
                }
                commit(tracker.readThrough(reader.position()));
                if (failures > 0) {
                    LOG.info(
                            "Delivery stream {} reads and encodes its records again after {} failed attempts",
                            now.stream().ref().arn(),
                            failures);
                }
                failures = 0;
            }
        } finally {
            partitions.abandon(reader.position());
            reader.close();
        }
    }

    /**
     * The batches being filled, one per partition key, kept across passes until each is full or due: its
     * oldest record has waited the interval (delivery spec §3.5). Used by the pipeline thread only.
     */
    private final class Partitions {
        private final CommitTracker tracker;
        private final Map<PartitionKeys, Filling> open = new LinkedHashMap<>();

        /**
         * The last lookup's keys and answer: consecutive records mostly have the very same keys object (all
         * of them {@link PartitionKeys#NONE} without partitioning), so most lookups skip hashing the keys'
         * maps. Forgotten whenever a batch leaves {@link #open}.
         */
        private PartitionKeys lastKeys;

        private Filling lastBatch;

        Partitions(CommitTracker tracker) {
            this.tracker = tracker;
        }

        Filling get(PartitionKeys keys) {
            if (keys != lastKeys) {
                lastBatch = open.get(keys);
                lastKeys = keys;
            }
            return lastBatch;
        }

        int size() {
            return open.size();
        }

        void add(PartitionKeys keys, Filling batch) {
            open.put(keys, batch);
            lastKeys = keys;
            lastBatch = batch;
        }

        /** Seals {@code keys}'s batch (it is full). A batch that fails to seal stays, to be abandoned. */
        void seal(PartitionKeys keys) throws IOException, InterruptedException {
            open.get(keys).seal();
            open.remove(keys);
            forgetLast();
        }

        private void forgetLast() {
            lastKeys = null;
            lastBatch = null;
        }

        /** Seals every batch that is due, or was begun under another configuration than {@code now}'s. */
        void sealDue(Current now) throws IOException, InterruptedException {
            long millis = context.clock().millis();
            var batches = open.values().iterator();
            while (batches.hasNext()) {
                Filling batch = batches.next();
                if (batch.now != now || batch.dueAt() <= millis) {
                    batch.seal();
                    batches.remove();
                    forgetLast();
                }
            }
        }

        /**
         * Drops the open batches after a failure: reading must start again at the returned position, the
         * lowest of {@code from} and their records, which are no longer held. The tracker is rewound before
         * anything is released, so that nothing dropped can be committed.
         */
        long abandon(long from) {
            long lowest = from;
            for (Filling batch : open.values()) {
                lowest = Math.min(lowest, batch.hold.lowest());
            }
            tracker.rewind(lowest);
            open.values().forEach(Filling::discard);
            open.clear();
            forgetLast();
            return lowest;
        }
    }

    /**
     * Empty when a pass should begin now, else how long to wait before looking again; a reader that
     * waits holds no buffers (the peeked first record answers the next look without reading).
     */
    private Optional<Duration> untilReady(StreamReader reader, BufferingHints hints) {
        OptionalLong first = reader.firstUnreadArrivalMillis();
        if (first.isEmpty()) {
            return Optional.of(context.config().poll());
        }
        if (reader.availableBytes() >= hints.size().bytes()) {
            return Optional.empty();
        }
        long due = first.getAsLong()
                + hints.interval().toMillis()
                - context.clock().millis();
        if (due <= 0) {
            return Optional.empty();
        }
        reader.releaseBuffers();
        return Optional.of(
                Duration.ofMillis(Math.min(due, context.config().poll().toMillis())));
    }

    /**
     * One pass over the records that are due: through the processor stage into the batches of their
     * partitions. Runs on the pipeline thread.
     */
    private final class Pass implements ProcessorChain.Sink {
        private final Current now;
        private final CommitTracker tracker;
        private final Partitions partitions;
        private final Map<String, PassObject> errors = new LinkedHashMap<>();
        /** The most partitions open at once in this pass, whether one had partition keys, and whether any overflowed. */
        private int activePartitions;

        private boolean partitioned;
        private boolean partitionsExceeded;

        /** The backup of the source records read, for a stream with processors and an S3 backup of all data. */
        private PassObject sourceBackup;

        /**
         * Copies of the source records read, by position, for a stream that decompresses them: its error
         * documents hold records as received, still compressed (delivery spec §6.4.3). At most the size
         * hint's worth, as a pass reads no more.
         */
        private final Map<Long, ByteBuffer> compressedSources = new HashMap<>();

        /** Whether the stream decompresses its records, so that {@link #compressedSources} are kept. */
        private final boolean keepsCompressedSources;

        Pass(Current now, CommitTracker tracker, Partitions partitions) {
            this.now = now;
            this.tracker = tracker;
            this.partitions = partitions;
            this.keepsCompressedSources = now.stream().destination().spec().acceptsOnlyCloudWatchLogs();
        }

        /** Reads about the size hint's worth of source records (whole records) and hands them on. */
        void read(StreamReader reader) throws IOException, InterruptedException {
            activePartitions = partitions.size(); // those left open by earlier passes count too
            long size = now.policy().hints().size().bytes();
            long bytes = 0;
            Optional<LogRecord> next;
            while (bytes < size && (next = reader.next()).isPresent()) {
                LogRecord record = next.get();
                ByteBuffer payload = context.payloads().plaintext(now.stream(), record);
                ByteBuffer data = SourceMetadataHeader.data(record.flags(), payload);
                bytes += data.remaining();
                backUp(record, data);
                ProcessorRecord source = ProcessorRecord.source(
                        record.offset(),
                        record.arrivalMillis(),
                        data,
                        SourceMetadataHeader.metadata(record.flags(), payload));
                if (keepsCompressedSources) {
                    compressedSources.put(record.offset(), source.copy().data());
                }
                now.chain().accept(source, this);
            }
        }

        /**
         * Copies a source record into the pass's backup when its batches cannot: a processor stage may
         * drop, fail or change records, and a batch backs up only the records it holds.
         */
        private void backUp(LogRecord record, ByteBuffer data) throws IOException {
            if (now.chain().isEmpty() || now.policy().backupAll().isEmpty()) {
                return;
            }
            if (sourceBackup == null) {
                sourceBackup = new PassObject(
                        now,
                        tracker,
                        new BackupTarget(
                                now.stream(),
                                now.policy().backupAll().get(),
                                Optional.empty(),
                                Instant.ofEpochMilli(record.arrivalMillis())),
                        record.offset());
            }
            sourceBackup.add(data.duplicate());
        }

        /** Completes the processor stage and seals the batches that are due; errors and backup go to be stored. */
        void finish() throws IOException, InterruptedException {
            now.chain().flush(this);
            partitions.sealDue(now);
            if (partitioned) {
                context.listener()
                        .partitions(now.stream(), activePartitions, now.policy().maxPartitions(), partitionsExceeded);
            }
            var documents = errors.values().iterator();
            while (documents.hasNext()) {
                documents.next().store();
                documents.remove();
            }
            if (sourceBackup != null) {
                sourceBackup.store();
                sourceBackup = null;
            }
        }

        /** Drops the error documents and backup this pass began; their records will be read again. */
        void abandon() {
            errors.values().forEach(PassObject::discard);
            errors.clear();
            if (sourceBackup != null) {
                sourceBackup.discard();
                sourceBackup = null;
            }
        }

        @Override
        public void accept(ProcessorRecord record) throws IOException {
            partitioned |= !record.partitionKeys().isEmpty();
            Filling batch = partitions.get(record.partitionKeys());
            if (batch == null) {
                if (partitions.size() >= now.policy().maxPartitions()) {
                    partitionsExceeded = true;
                    failed(
                            record,
                            new ProcessingFailure(
                                    "activePartitionExceeded",
                                    "DynamicPartitioning.ActivePartitionsLimitExceeded",
                                    "The record would open more than "
                                            + now.policy().maxPartitions()
                                            + " partitions of this delivery stream at once.",
                                    1,
                                    new LinkedHashMap<>()));
                    return;
                }
                batch = new Filling(now, tracker, record);
                partitions.add(record.partitionKeys(), batch);
                activePartitions = Math.max(activePartitions, partitions.size());
            }
            batch.add(record);
            if (batch.full()) {
                try {
                    partitions.seal(record.partitionKeys());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting to send a batch", e);
                }
            }
        }

        @Override
        public void failed(ProcessorRecord record, ProcessingFailure failure) throws IOException {
            PassObject documents = errors.get(failure.errorOutputType());
            if (documents == null) {
                documents = new PassObject(
                        now,
                        tracker,
                        new BackupTarget(
                                now.stream(),
                                now.policy().errorLocation(),
                                Optional.of(failure.errorOutputType()),
                                Instant.ofEpochMilli(record.arrivalMillis())),
                        record.position());
                errors.put(failure.errorOutputType(), documents);
            }
            documents.add(ErrorDocuments.processingDocument(
                    failure,
                    context.clock().instant(),
                    record.arrivalMillis(),
                    compressedSources.getOrDefault(record.position(), record.data())));
        }
    }

    /** A batch being filled: the destination encodes its records as they come. */
    private final class Filling {
        private final Current now;
        private final BatchEncoder encoder;
        private final BatchRecords records = new BatchRecords();
        private final Instant firstArrival;
        private final PartitionKeys keys;
        private final CommitTracker.Hold hold;
        private long bytes;

        Filling(Current now, CommitTracker tracker, ProcessorRecord first) throws IOException {
            this.now = now;
            this.firstArrival = Instant.ofEpochMilli(first.arrivalMillis());
            this.keys = first.partitionKeys();
            this.encoder = now.destination()
                    .encoder(new BatchInfo(now.stream(), firstArrival, batchesBegun++, first.partitionKeys()));
            this.hold = tracker.hold(first.position());
        }

        void add(ProcessorRecord record) throws IOException {
            int length = record.data().remaining();
            encoder.add(record);
            records.add(record.position(), record.subsequence());
            bytes += length;
        }

        boolean full() {
            return bytes >= now.policy().hints().size().bytes()
                    || records.size() >= now.policy().maxRecords();
        }

        /** When the oldest record will have waited the interval, in epoch milliseconds. */
        long dueAt() {
            return firstArrival.toEpochMilli() + now.policy().hints().interval().toMillis();
        }

        /**
         * Finishes the encoding and sends the batch once fewer than the most batches are in flight. On a
         * failure the batch keeps its hold until it is abandoned ({@link Partitions#abandon}).
         */
        void seal() throws IOException, InterruptedException {
            PreparedBatch batch = encoder.finish();
            if (!keys.isEmpty()) {
                long millis = Math.max(1, context.clock().millis() - firstArrival.toEpochMilli());
                context.listener().partitionFilled(now.stream(), bytes * 1000.0 / millis);
            }
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                batch.close();
                throw e;
            }
            BatchDelivery delivery =
                    new BatchDelivery(StreamPipeline.this, context, now, batch, records, firstArrival, current::get);
            start(() -> {
                try {
                    delivery.run();
                } finally {
                    inFlight.release();
                }
                commit(hold.release());
            });
        }

        void discard() {
            try {
                encoder.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Discarding an unsent batch of {} failed: {}", key, e.toString());
            }
            hold.release();
        }
    }

    /**
     * An object one pass writes beside its batches: the error documents of the records its processor
     * stage failed with one error-output type, or the backup of its source records (a stream with
     * processors backs up what it read, whatever the processors made of it).
     */
    private final class PassObject {
        private final Current now;
        private final BackupTarget target;
        private final BackupStore.BackupWriter writer;
        private final CommitTracker.Hold hold;
        private long records;
        private long bytes;

        PassObject(Current now, CommitTracker tracker, BackupTarget target, long firstPosition) throws IOException {
            this.now = now;
            this.target = target;
            this.writer = context.backups().open(target);
            this.hold = tracker.hold(firstPosition);
        }

        void add(ByteBuffer data) throws IOException {
            bytes += data.remaining();
            writer.append(data);
            records++;
        }

        /**
         * Stores the object on its own thread, retried until stored or expired; then releases. If
         * finishing fails it stays to be discarded with the pass.
         */
        void store() throws IOException {
            writer.finish();
            boolean errorOutput = target.errorOutputType().isPresent();
            if (errorOutput) {
                LOG.warn(
                        "Delivery stream {} could not process {} records; they go to its error output as {}",
                        now.stream().ref().arn(),
                        records,
                        target.errorOutputType().orElseThrow());
            }
            start(() -> {
                try {
                    if (BatchDelivery.storeUntilStored(StreamPipeline.this, context, target, writer, records)) {
                        context.listener().backedUp(now.stream(), records, errorOutput ? 0 : bytes, errorOutput);
                    }
                } finally {
                    writer.close();
                }
                commit(hold.release());
            });
        }

        void discard() {
            writer.close();
            hold.release();
        }
    }

    /** Runs {@code work} on a sender thread of this pipeline, which {@link #stop()} interrupts. */
    private void start(InterruptibleWork work) {
        Thread sender = Thread.ofVirtual().unstarted(() -> {
            try {
                work.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                senders.remove(Thread.currentThread());
            }
        });
        senders.add(sender);
        sender.start();
    }

    @FunctionalInterface
    private interface InterruptibleWork {
        void run() throws InterruptedException;
    }

    /** Counts a failed attempt; true if no attempt failed with this code since delivery last succeeded. */
    boolean firstFailureWith(String errorCode) {
        synchronized (failingWith) {
            failedAttempts++;
            return failingWith.add(errorCode);
        }
    }

    /** Ends an outage: what it was, if delivery was failing. */
    Optional<String> recovered() {
        synchronized (failingWith) {
            if (failingWith.isEmpty()) {
                return Optional.empty();
            }
            String outage = failedAttempts + " failed attempts (" + String.join(", ", failingWith) + ")";
            failingWith.clear();
            failedAttempts = 0;
            return Optional.of(outage);
        }
    }

    /** The backoff of error output and backup writes. */
    Backoff storageBackoff() {
        return backoff;
    }

    StreamKey key() {
        return key;
    }

    private void commit(OptionalLong position) {
        if (position.isEmpty()) {
            return;
        }
        try {
            context.log().commit(key, position.getAsLong());
        } catch (StreamDeletedException e) {
            LOG.debug("Delivery stream {} was deleted before its commit", key);
        } catch (LogException e) {
            LOG.warn("Committing delivery stream {} failed; the next commit writes it", key, e);
        }
    }
}
