package io.sluice.delivery;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.BufferingHints;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.S3DestinationSpec;
import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.Destination;
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
 * with jittered exponential backoff until the data outlives the retention, and commits the log only
 * over the contiguous prefix of finished batches. Up to {@code maxInFlight} batches are being sent at
 * once. A restart resumes at the committed offset: batches in flight then are delivered again.
 */
final class StreamPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(StreamPipeline.class);

    private record Current(DeliveryStream stream, Destination destination) {}

    private final StreamKey key;
    private final RecordLog log;
    private final DestinationFactory destinations;
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

    StreamPipeline(
            DeliveryStream stream,
            RecordLog log,
            DestinationFactory destinations,
            RecordPayloads payloads,
            DeliveryListener listener,
            DeliveryConfig config,
            Clock clock,
            RandomGenerator random) {
        this.key = new StreamKey(stream.uid());
        this.log = requireNonNull(log, "log is null");
        this.destinations = requireNonNull(destinations, "destinations is null");
        this.payloads = requireNonNull(payloads, "payloads is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = requireNonNull(random, "random is null");
        this.backoff = new Backoff(config.minBackoff(), config.maxBackoff());
        this.inFlight = new Semaphore(config.maxInFlight());
        this.current = new AtomicReference<>(new Current(stream, destinations.create(stream)));
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
            current.set(new Current(stream, destinations.create(stream)));
        } else {
            current.set(new Current(stream, before.destination()));
        }
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

    private void run() {
        StreamReader reader = null;
        try {
            reader = log.openReader(key);
            long nextStart = reader.position();
            CommitTracker tracker = new CommitTracker(nextStart);
            int failures = 0;
            while (running) {
                Current now = current.get();
                BufferingHints hints = hints(now.stream());
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
                    reader = log.openReader(key, nextStart);
                    Thread.sleep(backoff.delay(failures, random));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StreamDeletedException e) {
            LOG.debug("Delivery stream {} was deleted; its pipeline ends", key);
        } catch (RuntimeException e) {
            if (running) {
                LOG.error(
                        "Delivery of stream {} stopped unexpectedly",
                        current.get().stream().ref().arn(),
                        e);
            }
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
    }

    /** Empty when a batch should be cut now, else how long to wait before looking again. */
    private Optional<Duration> untilReady(StreamReader reader, BufferingHints hints) {
        OptionalLong first = reader.firstUnreadArrivalMillis();
        if (first.isEmpty()) {
            return Optional.of(config.poll());
        }
        if (reader.availableBytes() >= hints.size().bytes()) {
            return Optional.empty();
        }
        long due = first.getAsLong() + hints.interval().toMillis() - clock.millis();
        return due <= 0
                ? Optional.empty()
                : Optional.of(Duration.ofMillis(Math.min(due, config.poll().toMillis())));
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
            while (bytes < hints.size().bytes() && (next = reader.next()).isPresent()) {
                LogRecord record = next.get();
                ByteBuffer data = payloads.plaintext(now.stream(), record);
                bytes += data.remaining();
                encoder.add(data, Instant.ofEpochMilli(record.arrivalMillis()));
                end = record.offset() + 1;
            }
            return new Staged(encoder.finish(), start, end, firstArrival);
        }
    }

    private void sendAsync(Current now, Staged staged, CommitTracker tracker) {
        Thread sender = Thread.ofVirtual().unstarted(() -> {
            try (PreparedBatch batch = staged.batch()) {
                deliver(now, staged, batch);
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

    /** Sends until delivered or expired; returns normally in both cases. */
    private void deliver(Current now, Staged staged, PreparedBatch batch) throws InterruptedException {
        DeliveryStream stream = now.stream();
        for (int attempt = 1; running; attempt++) {
            DeliveryOutcome outcome;
            try {
                outcome = now.destination().send(batch);
            } catch (RuntimeException e) {
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
                    return;
                }
                case DeliveryOutcome.Retry retry -> {
                    listener.retrying(stream, retry.errorCode());
                    if (clock.instant().isAfter(staged.firstArrival().plus(config.retention()))) {
                        LOG.error(
                                "Dropped {} records ({} bytes) of delivery stream {}: delivery failed for longer than the"
                                        + " retention of {} ({}: {})",
                                batch.records(),
                                batch.bytes(),
                                stream.ref().arn(),
                                config.retention(),
                                retry.errorCode(),
                                retry.message());
                        listener.expired(stream, batch.records(), batch.bytes());
                        return;
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
                    Thread.sleep(backoff.delay(attempt, random));
                }
            }
        }
        throw new InterruptedException("pipeline stopped");
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

    private static BufferingHints hints(DeliveryStream stream) {
        return switch (stream.destination().spec()) {
            case S3DestinationSpec s3 -> s3.bufferingHints();
        };
    }
}
