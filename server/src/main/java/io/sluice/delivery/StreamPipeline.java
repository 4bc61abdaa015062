package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.BackupStore;
import io.sluice.destination.BackupTarget;
import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DeliveryOutcome;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
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
 * Delivers one stream: reads its records from the log in order, cuts them into batches by the
 * stream's buffering hints (a batch is flushed as soon as its size hint is crossed, or when its oldest
 * record has waited the interval), has the destination encode and send each batch, retries failures
 * with jittered exponential backoff, and commits the log only over the contiguous prefix of finished
 * batches. A failing batch is retried until the data outlives the retention or, for destinations with
 * a retry budget ({@link DeliveryPolicy}), until the budget is spent; then (or when the destination
 * rejects it) its records are read back from the log and written to the error output as error
 * documents. With a backup of all data, every batch's records are also written to the backup location.
 * Error output and backups are retried until they are stored or the data outlives the retention: the
 * batch is not committed before (delivery spec §1.4). Up to {@code maxInFlight} batches are being sent at
 * once. A restart resumes at the committed offset: batches in flight then are delivered again.
 */
final class StreamPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPipeline.class);

    private record Current(DeliveryStream stream, Destination destination, DeliveryPolicy policy) {}

    /** How sending a batch ended. */
    private sealed interface Result {
        record Sent() implements Result {}

        record Expired() implements Result {}

        record GaveUp(ErrorDocuments.Failure failure, boolean errorOutput) implements Result {}
    }

    /** What a backup object holds for one record read back from the log. */
    @FunctionalInterface
    private interface BackupRecord {
        ByteBuffer of(LogRecord record, ByteBuffer data);
    }

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
    private final RecordLog log;
    private final DestinationRegistry destinations;
    private final BackupStore backups;
    private final RecordPayloads payloads;
    private final DeliveryListener listener;
    private final DeliveryConfig config;
    private final Clock clock;
    private final RandomGenerator random;
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

    private volatile boolean running = true;
    private Thread loop;

    StreamPipeline(DeliveryStream stream, Context context) {
        this.key = new StreamKey(stream.uid());
        this.log = context.log();
        this.destinations = context.destinations();
        this.backups = context.backups();
        this.payloads = context.payloads();
        this.listener = context.listener();
        this.config = context.config();
        this.clock = context.clock();
        this.random = context.random();
        this.backoff = new Backoff(config.minBackoff(), config.maxBackoff(), Backoff.Jitter.HALF_TO_FULL);
        this.inFlight = new Semaphore(config.maxInFlight());
        this.current = new AtomicReference<>(current(stream, destinations.create(stream)));
    }

    void start() {
        loop = Thread.ofVirtual()
                .name("delivery-" + current.get().stream().ref().name())
                .start(this::run);
    }

    /** Takes a changed configuration; it applies from the next batch on. */
    void update(DeliveryStream stream) {
        Current before = current.get();
        if (before.stream().version() != stream.version()) {
            current.set(current(stream, destinations.create(stream)));
        } else {
            current.set(current(stream, before.destination()));
        }
    }

    private Current current(DeliveryStream stream, Destination destination) {
        return new Current(
                stream, destination, destinations.policy(stream.destination().spec()));
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
                    Thread.sleep(backoff.delay(failures, random));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void deliverFromCommitted() throws InterruptedException {
        StreamReader reader = log.openReader(key).withPayloadViews();
        try {
            long nextStart = reader.position();
            CommitTracker tracker = new CommitTracker(nextStart);
            int failures = 0;
            while (running) {
                Current now = current.get();
                BufferingHints hints = now.policy().hints();
                try {
                    Optional<Duration> wait = untilReady(reader, hints);
                    if (wait.isPresent()) {
                        Thread.sleep(wait.get());
                        continue;
                    }
                    inFlight.acquire();
                    Staged staged;
                    try {
                        staged = stage(reader, now, hints, nextStart);
                    } catch (IOException | RuntimeException e) {
                        inFlight.release();
                        throw e;
                    }
                    nextStart = staged.end();
                    if (failures > 0) {
                        LOG.info(
                                "Delivery stream {} reads and encodes its records again after {} failed attempts",
                                now.stream().ref().arn(),
                                failures);
                    }
                    failures = 0;
                    sendAsync(now, staged, tracker);
                } catch (IOException | UncheckedIOException | LogCorruptException e) {
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
                    reader = log.openReader(key, nextStart).withPayloadViews();
                    Thread.sleep(backoff.delay(failures, random));
                }
            }
        } finally {
            reader.close();
        }
    }

    /**
     * Empty when a batch should be cut now, else how long to wait before looking again; a reader that
     * waits holds no buffers (the peeked first record answers the next look without reading).
     */
    private Optional<Duration> untilReady(StreamReader reader, BufferingHints hints) {
        OptionalLong first = reader.firstUnreadArrivalMillis();
        if (first.isEmpty()) {
            return Optional.of(config.poll());
        }
        if (reader.availableBytes() >= hints.size().bytes()) {
            return Optional.empty();
        }
        long due = first.getAsLong() + hints.interval().toMillis() - clock.millis();
        if (due <= 0) {
            return Optional.empty();
        }
        reader.releaseBuffers();
        return Optional.of(Duration.ofMillis(Math.min(due, config.poll().toMillis())));
    }

    /** A batch encoded and ready to send, covering offsets {@code [start, end)}. */
    private record Staged(PreparedBatch batch, long start, long end, Instant firstArrival) {}

    private Staged stage(StreamReader reader, Current now, BufferingHints hints, long start) throws IOException {
        LogRecord first = reader.peek().orElseThrow();
        Instant firstArrival = Instant.ofEpochMilli(first.arrivalMillis());
        long end = start;
        try (BatchEncoder encoder = now.destination().encoder(new BatchInfo(now.stream(), firstArrival, start))) {
            long bytes = 0;
            Optional<LogRecord> next;
            long records = 0;
            while (bytes < hints.size().bytes()
                    && records < now.policy().maxRecords()
                    && (next = reader.next()).isPresent()) {
                LogRecord record = next.get();
                ByteBuffer data = payloads.plaintext(now.stream(), record);
                bytes += data.remaining();
                encoder.add(data, Instant.ofEpochMilli(record.arrivalMillis()));
                end = record.offset() + 1;
                records++;
            }
            return new Staged(encoder.finish(), start, end, firstArrival);
        }
    }

    private void sendAsync(Current now, Staged staged, CommitTracker tracker) {
        Thread sender = Thread.ofVirtual().unstarted(() -> {
            try (PreparedBatch batch = staged.batch()) {
                Result result = deliver(now, staged, batch);
                dispose(now, staged, batch, result);
                finish(tracker, staged);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                senders.remove(Thread.currentThread());
                inFlight.release();
            }
        });
        senders.add(sender);
        sender.start();
    }

    /** Sends until delivered, given up on, or expired. */
    private Result deliver(Current now, Staged staged, PreparedBatch batch) throws InterruptedException {
        DeliveryStream stream = now.stream();
        DeliveryPolicy policy = now.policy();
        Duration waited = Duration.ZERO;
        for (int attempt = 1; running; attempt++) {
            DeliveryOutcome outcome;
            try {
                outcome = sender(now).send(batch);
            } catch (RuntimeException | LinkageError e) {
                outcome = new DeliveryOutcome.Retry("InternalError", e.toString());
            }
            switch (outcome) {
                case DeliveryOutcome.Delivered d -> {
                    listener.delivered(
                            stream,
                            batch.records(),
                            batch.bytes(),
                            Duration.between(staged.firstArrival(), clock.instant()));
                    recovered()
                            .ifPresent(outage -> LOG.info(
                                    "Delivery stream {} delivers again after {}",
                                    stream.ref().arn(),
                                    outage));
                    return new Result.Sent();
                }
                case DeliveryOutcome.Rejected rejected -> {
                    LOG.warn(
                            "Delivery stream {} gave up on {} records: the destination rejected them ({}: {})",
                            stream.ref().arn(),
                            batch.records(),
                            rejected.errorCode(),
                            rejected.message());
                    return new Result.GaveUp(
                            new ErrorDocuments.Failure(
                                    attempt, rejected.errorCode(), rejected.message(), clock.instant()),
                            rejected.disposal() == DeliveryOutcome.Disposal.ERROR_OUTPUT);
                }
                case DeliveryOutcome.Retry retry -> {
                    listener.retrying(stream, retry.errorCode());
                    if (outlived(staged)) {
                        dropped(stream, batch.records(), batch.bytes(), retry);
                        return new Result.Expired();
                    }
                    Optional<Duration> budget = policy.retryBudget();
                    if (budget.isPresent() && waited.compareTo(budget.get()) >= 0) {
                        LOG.warn(
                                "Delivery stream {} gave up on {} records after {} attempts over its retry duration of"
                                        + " {} ({}: {})",
                                stream.ref().arn(),
                                batch.records(),
                                attempt,
                                budget.get(),
                                retry.errorCode(),
                                retry.message());
                        return new Result.GaveUp(
                                new ErrorDocuments.Failure(
                                        attempt, retry.errorCode(), retry.message(), clock.instant()),
                                true);
                    }
                    if (firstFailureWith(retry.errorCode())) {
                        LOG.warn(
                                "Delivery stream {} cannot deliver: {}: {}; retrying with backoff until it succeeds or"
                                        + " the data is older than {} (each new error is logged once until delivery recovers)",
                                stream.ref().arn(),
                                retry.errorCode(),
                                retry.message(),
                                config.retention());
                    } else {
                        LOG.debug(
                                "Delivery stream {} could not deliver (attempt {} of this batch): {}: {}",
                                stream.ref().arn(),
                                attempt,
                                retry.errorCode(),
                                retry.message());
                    }
                    Duration delay = Backoff.of(policy.retry(), config).delay(attempt, random);
                    if (budget.isPresent() && delay.compareTo(budget.get().minus(waited)) > 0) {
                        delay = budget.get().minus(waited);
                    }
                    waited = waited.plus(delay);
                    Thread.sleep(delay);
                }
            }
        }
        throw new InterruptedException("pipeline stopped");
    }

    /**
     * Who sends the next attempt of a batch encoded by {@code encodedWith}: the stream's latest
     * destination when it is of the same kind, so that a retry uses the configuration as it is now
     * (an HTTP endpoint's URL and access key, delivery spec §11.2.5); else the encoding one.
     */
    private Destination sender(Current encodedWith) {
        Destination latest = current.get().destination();
        return latest.getClass() == encodedWith.destination().getClass() ? latest : encodedWith.destination();
    }

    /**
     * Writes the error output and backup copy a finished batch needs, returning when they are stored or
     * the data outlived the retention (it is then dropped).
     */
    private void dispose(Current now, Staged staged, PreparedBatch batch, Result result) throws InterruptedException {
        DeliveryStream stream = now.stream();
        DeliveryPolicy policy = now.policy();
        switch (result) {
            case Result.Sent sent -> {}
            case Result.Expired expired -> {
                return;
            }
            case Result.GaveUp gaveUp -> {
                ErrorDocuments.Failure failure = gaveUp.failure();
                Optional<DeliveryPolicy.ErrorOutput> errors =
                        gaveUp.errorOutput() ? policy.errorOutput() : Optional.empty();
                listener.failed(stream, batch.records(), batch.bytes(), failure.errorCode(), errors.isPresent());
                if (errors.isEmpty()) {
                    LOG.warn(
                            "Delivery stream {} discarded {} records ({} bytes): {}",
                            stream.ref().arn(),
                            batch.records(),
                            batch.bytes(),
                            failure.errorCode());
                } else {
                    DeliveryPolicy.ErrorOutput output = errors.get();
                    BackupTarget target = new BackupTarget(
                            stream, output.location(), Optional.of(output.type()), staged.firstArrival());
                    boolean stored = backUp(
                            target,
                            staged,
                            batch,
                            (record, data) -> ErrorDocuments.document(
                                    output.layout(), failure, record.offset(), record.arrivalMillis(), data));
                    if (!stored) {
                        return;
                    }
                }
            }
        }
        if (policy.backupAll().isPresent()) {
            BackupTarget target =
                    new BackupTarget(stream, policy.backupAll().get(), Optional.empty(), staged.firstArrival());
            backUp(target, staged, batch, (record, data) -> data);
        }
    }

    /**
     * Writes the batch's records, read back from the log, as one backup object; retries until it is
     * stored (true) or the data outlives the retention (false).
     */
    private boolean backUp(BackupTarget target, Staged staged, PreparedBatch batch, BackupRecord content)
            throws InterruptedException {
        DeliveryStream stream = target.stream();
        boolean errors = target.errorOutputType().isPresent();
        for (int attempt = 1; running; attempt++) {
            DeliveryOutcome outcome;
            try (BackupStore.BackupWriter writer = backups.open(target)) {
                try (StreamReader reader = log.openReader(key, staged.start())) {
                    Optional<LogRecord> next;
                    while ((next = reader.next()).isPresent() && next.get().offset() < staged.end()) {
                        LogRecord record = next.get();
                        writer.append(content.of(record, payloads.plaintext(stream, record)));
                    }
                }
                writer.finish();
                outcome = writer.store();
            } catch (IOException | RuntimeException e) {
                outcome = new DeliveryOutcome.Retry("InternalError", e.toString());
            }
            switch (outcome) {
                case DeliveryOutcome.Delivered d -> {
                    listener.backedUp(stream, batch.records(), errors);
                    return true;
                }
                case DeliveryOutcome.Retry retry -> {
                    if (retried(stream, staged, batch, attempt, retry.errorCode(), retry.message(), errors)) {
                        return false;
                    }
                }
                case DeliveryOutcome.Rejected rejected -> {
                    if (retried(stream, staged, batch, attempt, rejected.errorCode(), rejected.message(), errors)) {
                        return false;
                    }
                }
            }
        }
        throw new InterruptedException("pipeline stopped");
    }

    /** Waits before the next attempt to back up; true (and nothing waited) when the data expired. */
    private boolean retried(
            DeliveryStream stream,
            Staged staged,
            PreparedBatch batch,
            int attempt,
            String errorCode,
            String message,
            boolean errors)
            throws InterruptedException {
        DeliveryOutcome.Retry retry = new DeliveryOutcome.Retry(errorCode, message);
        if (outlived(staged)) {
            dropped(stream, batch.records(), batch.bytes(), retry);
            return true;
        }
        if (attempt == 1 || attempt % 10 == 0) {
            LOG.warn(
                    "Delivery stream {} could not write its {} (attempt {}): {}: {}; retrying",
                    stream.ref().arn(),
                    errors ? "error output" : "S3 backup",
                    attempt,
                    errorCode,
                    message);
        }
        Thread.sleep(backoff.delay(attempt, random));
        return false;
    }

    private boolean outlived(Staged staged) {
        return clock.instant().isAfter(staged.firstArrival().plus(config.retention()));
    }

    private void dropped(DeliveryStream stream, long records, long bytes, DeliveryOutcome.Retry last) {
        LOG.error(
                "Dropped {} records ({} bytes) of delivery stream {}: delivery failed for longer than the"
                        + " retention of {} ({}: {})",
                records,
                bytes,
                stream.ref().arn(),
                config.retention(),
                last.errorCode(),
                last.message());
        listener.expired(stream, records, bytes);
    }

    /** Counts a failed attempt; true if no attempt failed with this code since delivery last succeeded. */
    private boolean firstFailureWith(String errorCode) {
        synchronized (failingWith) {
            failedAttempts++;
            return failingWith.add(errorCode);
        }
    }

    /** Ends an outage: what it was, if delivery was failing. */
    private Optional<String> recovered() {
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

    private void finish(CommitTracker tracker, Staged staged) {
        OptionalLong commit = tracker.finish(staged.start(), staged.end());
        if (commit.isPresent()) {
            try {
                log.commit(key, commit.getAsLong());
            } catch (StreamDeletedException e) {
                LOG.debug("Delivery stream {} was deleted before its commit", key);
            } catch (LogException e) {
                LOG.warn("Committing delivery stream {} failed; the next commit writes it", key, e);
            }
        }
    }
}
