package io.sluice.delivery;

import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.BackupStore;
import io.sluice.destination.BackupTarget;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.Destination;
import io.sluice.destination.ErrorDocuments;
import io.sluice.destination.PreparedBatch;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamReader;
import io.sluice.processor.SourceMetadataHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one sealed batch until every record in it is delivered or given up on, then writes the error
 * output and backup it needs. A destination answers each attempt for the whole batch or per record
 * ({@link DeliveryOutcome.Partial}): delivered records are done, rejected ones are given up on at once,
 * and only the records to retry are sent again ({@link PreparedBatch#retain}) after a backoff, until
 * they are delivered, the destination's retry budget is spent (they are given up on), or the data
 * outlives the retention (everything left is dropped and counted). Records given up on become error
 * documents, one per record with its own failure and attempt count, when the destination has an error
 * output and the failure says so, else they are discarded. Error output and backups are written from the
 * records read back from the log and retried until stored or expired: the caller commits only after.
 */
final class BatchDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);

    /**
     * Records given up on: {@code indexes} in the batch ({@code null}: all), why, after how many
     * attempts, and whether they go to the error output (else they are discarded).
     */
    private record GivenUp(
            int[] indexes,
            DeliveryOutcome.Failure failure,
            int attemptsMade,
            Instant attemptEnding,
            boolean errorOutput) {}

    /** Writes the content of one error-output or backup object. */
    @FunctionalInterface
    private interface Filler {
        void fill(BackupStore.BackupWriter writer) throws IOException;
    }

    private final StreamPipeline pipeline;
    private final StreamPipeline.Context context;
    private final StreamPipeline.Current encodedWith;
    private final PreparedBatch batch;
    private final BatchRecords records;
    private final Instant firstArrival;
    private final Supplier<StreamPipeline.Current> latest;

    BatchDelivery(
            StreamPipeline pipeline,
            StreamPipeline.Context context,
            StreamPipeline.Current encodedWith,
            PreparedBatch batch,
            BatchRecords records,
            Instant firstArrival,
            Supplier<StreamPipeline.Current> latest) {
        this.pipeline = pipeline;
        this.context = context;
        this.encodedWith = encodedWith;
        this.batch = batch;
        this.records = records;
        this.firstArrival = firstArrival;
        this.latest = latest;
    }

    /** Delivers and disposes of the batch; returns when every record is finished. */
    void run() throws InterruptedException {
        try {
            Optional<List<GivenUp>> givenUp = deliver();
            if (givenUp.isPresent()) {
                dispose(givenUp.get());
            }
        } finally {
            batch.close();
        }
    }

    /** Sends until every record is delivered or given up on (those are returned), or empty if expired. */
    private Optional<List<GivenUp>> deliver() throws InterruptedException {
        DeliveryStream stream = encodedWith.stream();
        DeliveryPolicy policy = encodedWith.policy();
        List<GivenUp> givenUp = new ArrayList<>();
        PreparedBatch attempt = batch;
        int[] original = null;
        Map<Integer, DeliveryOutcome.Failure> lastFailures = Map.of();
        Duration waited = Duration.ZERO;
        try {
            for (int attemptNumber = 1; pipeline.running(); attemptNumber++) {
                DeliveryOutcome outcome;
                try {
                    outcome = sender().send(attempt);
                } catch (RuntimeException | LinkageError e) {
                    outcome = new DeliveryOutcome.Retry("InternalError", e.toString());
                }
                DeliveryOutcome.Failure retry;
                switch (outcome) {
                    case DeliveryOutcome.Delivered d -> {
                        delivered(attempt.records(), attempt.bytes());
                        return Optional.of(givenUp);
                    }
                    case DeliveryOutcome.Rejected rejected -> {
                        LOG.warn(
                                "Delivery stream {} gave up on {} records the destination rejected ({}: {})",
                                stream.ref().arn(),
                                attempt.records(),
                                rejected.errorCode(),
                                rejected.message());
                        givenUp.add(new GivenUp(
                                original,
                                rejected,
                                attemptNumber,
                                context.clock().instant(),
                                rejected.disposal() == DeliveryOutcome.Disposal.ERROR_OUTPUT));
                        return Optional.of(givenUp);
                    }
                    case DeliveryOutcome.Retry whole -> {
                        retry = whole;
                        lastFailures = Map.of();
                    }
                    case DeliveryOutcome.Partial partial -> {
                        Remaining remaining = split(attempt, original, partial, attemptNumber, givenUp);
                        if (attempt != batch) {
                            attempt.close();
                        }
                        attempt = remaining.batch();
                        if (attempt == null) {
                            return Optional.of(givenUp);
                        }
                        original = remaining.original();
                        lastFailures = remaining.failures();
                        retry = lastFailures.values().iterator().next();
                    }
                }
                context.listener().retrying(stream, retry.errorCode());
                if (outlived()) {
                    dropped(attempt.records() + count(givenUp), attempt.bytes(), retry);
                    return Optional.empty();
                }
                Optional<Duration> budget = policy.retryBudget();
                if (budget.isPresent() && waited.compareTo(budget.get()) >= 0) {
                    LOG.warn(
                            "Delivery stream {} gave up on {} records after {} attempts over its retry duration of {}"
                                    + " ({}: {})",
                            stream.ref().arn(),
                            attempt.records(),
                            attemptNumber,
                            budget.get(),
                            retry.errorCode(),
                            retry.message());
                    giveUpOnRetries(original, lastFailures, retry, attemptNumber, givenUp);
                    return Optional.of(givenUp);
                }
                logFailure(stream, attemptNumber, retry);
                Duration delay = Backoff.of(policy.retry(), context.config()).delay(attemptNumber, context.random());
                if (budget.isPresent() && delay.compareTo(budget.get().minus(waited)) > 0) {
                    delay = budget.get().minus(waited);
                }
                waited = waited.plus(delay);
                Thread.sleep(delay);
            }
            throw new InterruptedException("pipeline stopped");
        } finally {
            if (attempt != null && attempt != batch) {
                attempt.close();
            }
        }
    }

    /**
     * What is left to send after a partial outcome: the batch of the records to retry ({@code null} if
     * none), their indexes in the original batch and their failures by those indexes.
     */
    private record Remaining(PreparedBatch batch, int[] original, Map<Integer, DeliveryOutcome.Failure> failures) {}

    private Remaining split(
            PreparedBatch attempt,
            int[] original,
            DeliveryOutcome.Partial partial,
            int attemptNumber,
            List<GivenUp> givenUp) {
        int[] failed =
                partial.failures().keySet().stream().mapToInt(Integer::intValue).toArray();
        if (failed[failed.length - 1] >= attempt.records()) {
            throw new IllegalStateException("a partial outcome names record " + failed[failed.length - 1]
                    + " of a batch of " + attempt.records());
        }
        PreparedBatch failedOnes = retain(attempt, failed);
        delivered(attempt.records() - failed.length, attempt.bytes() - failedOnes.bytes());
        Instant now = context.clock().instant();
        Map<DeliveryOutcome.Rejected, List<Integer>> rejected = new LinkedHashMap<>();
        List<Integer> retryInFailed = new ArrayList<>();
        Map<Integer, DeliveryOutcome.Failure> failures = new LinkedHashMap<>();
        for (int k = 0; k < failed.length; k++) {
            int index = original == null ? failed[k] : original[failed[k]];
            switch (partial.failures().get(failed[k])) {
                case DeliveryOutcome.Rejected r ->
                    rejected.computeIfAbsent(r, x -> new ArrayList<>()).add(index);
                case DeliveryOutcome.Retry r -> {
                    retryInFailed.add(k);
                    failures.put(index, r);
                }
            }
        }
        rejected.forEach((failure, indexes) -> givenUp.add(new GivenUp(
                indexes.stream().mapToInt(Integer::intValue).toArray(),
                failure,
                attemptNumber,
                now,
                failure.disposal() == DeliveryOutcome.Disposal.ERROR_OUTPUT)));
        if (retryInFailed.isEmpty()) {
            failedOnes.close();
            return new Remaining(null, null, Map.of());
        }
        int[] retained = failures.keySet().stream().mapToInt(Integer::intValue).toArray();
        if (retryInFailed.size() == failed.length) {
            return new Remaining(failedOnes, retained, failures);
        }
        try {
            return new Remaining(
                    retain(
                            failedOnes,
                            retryInFailed.stream().mapToInt(Integer::intValue).toArray()),
                    retained,
                    failures);
        } finally {
            failedOnes.close();
        }
    }

    private static PreparedBatch retain(PreparedBatch batch, int[] indexes) {
        try {
            return batch.retain(indexes);
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep the records to send again: " + e, e);
        }
    }

    private void giveUpOnRetries(
            int[] original,
            Map<Integer, DeliveryOutcome.Failure> lastFailures,
            DeliveryOutcome.Failure retry,
            int attemptNumber,
            List<GivenUp> givenUp) {
        Instant now = context.clock().instant();
        if (lastFailures.isEmpty()) {
            givenUp.add(new GivenUp(original, retry, attemptNumber, now, true));
            return;
        }
        Map<DeliveryOutcome.Failure, List<Integer>> byFailure = new LinkedHashMap<>();
        lastFailures.forEach((index, failure) ->
                byFailure.computeIfAbsent(failure, f -> new ArrayList<>()).add(index));
        byFailure.forEach((failure, indexes) -> givenUp.add(new GivenUp(
                indexes.stream().mapToInt(Integer::intValue).toArray(), failure, attemptNumber, now, true)));
    }

    private int count(List<GivenUp> givenUp) {
        return givenUp.stream()
                .mapToInt(g -> g.indexes() == null ? records.size() : g.indexes().length)
                .sum();
    }

    private void delivered(long count, long bytes) {
        if (count == 0) {
            return;
        }
        DeliveryStream stream = encodedWith.stream();
        context.listener()
                .delivered(
                        stream,
                        count,
                        bytes,
                        Duration.between(firstArrival, context.clock().instant()));
        pipeline.recovered()
                .ifPresent(outage -> LOG.info(
                        "Delivery stream {} delivers again after {}",
                        stream.ref().arn(),
                        outage));
    }

    private void logFailure(DeliveryStream stream, int attemptNumber, DeliveryOutcome.Failure retry) {
        if (pipeline.firstFailureWith(retry.errorCode())) {
            LOG.warn(
                    "Delivery stream {} cannot deliver: {}: {}; retrying with backoff until it succeeds or the data is"
                            + " older than {} (each new error is logged once until delivery recovers)",
                    stream.ref().arn(),
                    retry.errorCode(),
                    retry.message(),
                    context.config().retention());
        } else {
            LOG.debug(
                    "Delivery stream {} could not deliver (attempt {} of this batch): {}: {}",
                    stream.ref().arn(),
                    attemptNumber,
                    retry.errorCode(),
                    retry.message());
        }
    }

    /**
     * Who sends the next attempt: the stream's latest destination when it is of the same kind, so that a
     * retry uses the configuration as it is now (an HTTP endpoint's URL and access key, delivery spec
     * §11.2.5); else the one that encoded the batch.
     */
    private Destination sender() {
        Destination newest = latest.get().destination();
        return newest.getClass() == encodedWith.destination().getClass() ? newest : encodedWith.destination();
    }

    /** Writes the error output and backup copy the batch needs; returns when stored or expired. */
    private void dispose(List<GivenUp> givenUp) throws InterruptedException {
        DeliveryStream stream = encodedWith.stream();
        DeliveryPolicy policy = encodedWith.policy();
        Map<Integer, GivenUp> toErrorOutput = new HashMap<>();
        GivenUp allToErrorOutput = null;
        for (GivenUp group : givenUp) {
            int count = group.indexes() == null ? records.size() : group.indexes().length;
            boolean errorOutput = group.errorOutput() && policy.errorOutput().isPresent();
            context.listener().failed(stream, count, group.failure().errorCode(), errorOutput);
            if (!errorOutput) {
                LOG.warn(
                        "Delivery stream {} discarded {} records: {}",
                        stream.ref().arn(),
                        count,
                        group.failure().errorCode());
            } else if (group.indexes() == null) {
                allToErrorOutput = group;
            } else {
                for (int index : group.indexes()) {
                    toErrorOutput.put(index, group);
                }
            }
        }
        if (allToErrorOutput != null || !toErrorOutput.isEmpty()) {
            DeliveryPolicy.ErrorOutput output = policy.errorOutput().orElseThrow();
            GivenUp all = allToErrorOutput;
            BackupTarget target = new BackupTarget(stream, output.location(), Optional.of(output.type()), firstArrival);
            long count = all != null ? records.size() : toErrorOutput.size();
            boolean stored = write(
                    target,
                    count,
                    0,
                    writer -> readBack((index, record, data) -> {
                        GivenUp group = all != null ? all : toErrorOutput.get(index);
                        if (group != null) {
                            writer.append(ErrorDocuments.document(
                                    output.layout(),
                                    new ErrorDocuments.Failure(
                                            group.attemptsMade(),
                                            group.failure().errorCode(),
                                            group.failure().message(),
                                            group.attemptEnding()),
                                    new ErrorDocuments.Origin(
                                            records.position(index),
                                            records.subsequence(index),
                                            record.arrivalMillis()),
                                    data));
                        }
                    }));
            if (!stored) {
                return;
            }
        }
        if (policy.backupAll().isPresent() && policy.processors().isEmpty()) {
            BackupTarget target = new BackupTarget(stream, policy.backupAll().get(), Optional.empty(), firstArrival);
            write(
                    target,
                    records.size(),
                    batch.bytes(),
                    writer -> readBack((index, record, data) -> {
                        if (index == 0 || records.position(index - 1) != records.position(index)) {
                            writer.append(data);
                        }
                    }));
        }
    }

    /** Receives the batch's records read back from the log: its index, its source record and bytes. */
    @FunctionalInterface
    private interface ReadBack {
        void record(int index, LogRecord record, ByteBuffer data) throws IOException;
    }

    /**
     * Reads the batch's source records back from the log (they are not committed yet) and hands each
     * index of the batch its source record, in index order.
     */
    private void readBack(ReadBack each) throws IOException {
        DeliveryStream stream = encodedWith.stream();
        int index = 0;
        try (StreamReader reader = context.log().openReader(pipeline.key(), records.lowestPosition())) {
            Optional<LogRecord> next;
            while (index < records.size() && (next = reader.next()).isPresent()) {
                LogRecord record = next.get();
                while (index < records.size() && records.position(index) < record.offset()) {
                    index++;
                }
                while (index < records.size() && records.position(index) == record.offset()) {
                    each.record(
                            index,
                            record,
                            SourceMetadataHeader.data(
                                    record.flags(), context.payloads().plaintext(stream, record)));
                    index++;
                }
            }
        }
    }

    /**
     * Writes one object of records read back from the log; retried until it is stored (true) or the data
     * outlives the retention (false).
     */
    private boolean write(BackupTarget target, long count, long bytes, Filler filler) throws InterruptedException {
        for (int attempt = 1; pipeline.running(); attempt++) {
            BackupStore.BackupWriter writer = null;
            try {
                writer = context.backups().open(target);
                filler.fill(writer);
                writer.finish();
            } catch (IOException | RuntimeException e) {
                if (writer != null) {
                    writer.close();
                }
                if (waitToRetry(pipeline, context, target, attempt, "InternalError", e.toString(), count)) {
                    return false;
                }
                continue;
            }
            try {
                if (storeUntilStored(pipeline, context, target, writer, count)) {
                    context.listener()
                            .backedUp(
                                    target.stream(),
                                    count,
                                    bytes,
                                    target.errorOutputType().isPresent());
                    return true;
                }
                return false;
            } finally {
                writer.close();
            }
        }
        throw new InterruptedException("pipeline stopped");
    }

    /**
     * Stores a finished object, retrying with backoff until it is stored (true) or its records outlive
     * the retention (false: they are dropped and counted).
     */
    static boolean storeUntilStored(
            StreamPipeline pipeline,
            StreamPipeline.Context context,
            BackupTarget target,
            BackupStore.BackupWriter writer,
            long records)
            throws InterruptedException {
        for (int attempt = 1; pipeline.running(); attempt++) {
            DeliveryOutcome outcome;
            try {
                outcome = writer.store();
            } catch (RuntimeException e) {
                outcome = new DeliveryOutcome.Retry("InternalError", e.toString());
            }
            switch (outcome) {
                case DeliveryOutcome.Delivered d -> {
                    return true;
                }
                case DeliveryOutcome.Failure failure -> {
                    if (waitToRetry(
                            pipeline, context, target, attempt, failure.errorCode(), failure.message(), records)) {
                        return false;
                    }
                }
                case DeliveryOutcome.Partial partial ->
                    throw new IllegalStateException("an object is stored whole or not at all");
            }
        }
        throw new InterruptedException("pipeline stopped");
    }

    /** Waits before the next attempt to write; true (and nothing waited) when the data expired. */
    private static boolean waitToRetry(
            StreamPipeline pipeline,
            StreamPipeline.Context context,
            BackupTarget target,
            int attempt,
            String errorCode,
            String message,
            long records)
            throws InterruptedException {
        DeliveryStream stream = target.stream();
        if (context.clock()
                .instant()
                .isAfter(target.oldestArrival().plus(context.config().retention()))) {
            LOG.error(
                    "Dropped {} records of delivery stream {}: writing its {} failed for longer than the retention of"
                            + " {} ({}: {})",
                    records,
                    stream.ref().arn(),
                    target.errorOutputType().isPresent() ? "error output" : "S3 backup",
                    context.config().retention(),
                    errorCode,
                    message);
            context.listener().expired(stream, records, 0);
            return true;
        }
        if (attempt == 1 || attempt % 10 == 0) {
            LOG.warn(
                    "Delivery stream {} could not write its {} (attempt {}): {}: {}; retrying",
                    stream.ref().arn(),
                    target.errorOutputType().isPresent() ? "error output" : "S3 backup",
                    attempt,
                    errorCode,
                    message);
        }
        Thread.sleep(pipeline.storageBackoff().delay(attempt, context.random()));
        return false;
    }

    private boolean outlived() {
        return context.clock()
                .instant()
                .isAfter(firstArrival.plus(context.config().retention()));
    }

    private void dropped(long count, long bytes, DeliveryOutcome.Failure last) {
        DeliveryStream stream = encodedWith.stream();
        LOG.error(
                "Dropped {} records ({} bytes) of delivery stream {}: delivery failed for longer than the retention of"
                        + " {} ({}: {})",
                count,
                bytes,
                stream.ref().arn(),
                context.config().retention(),
                last.errorCode(),
                last.message());
        context.listener().expired(stream, count, bytes);
    }
}
