package io.sluice.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.StreamRef;
import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DeliveryMetricNames;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.http.HttpEndpointDestinationType;
import io.sluice.log.AppendRecord;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import io.sluice.processor.Buffering;
import io.sluice.processor.PartitionKeys;
import io.sluice.processor.ProcessingFailure;
import io.sluice.processor.ProcessorRecord;
import io.sluice.processor.RecordProcessor;
import io.sluice.testing.LocalDestinationTypes;
import io.sluice.testing.MemoryBackupStore;
import io.sluice.testing.Specs;
import io.sluice.testing.TestStreams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records with their own fates: per-record outcomes, the processor stage, partitioned batches and the
 * commit rule across them.
 */
class RecordFatesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RecordLog log;
    private DeliveryEngine engine;
    private LocalDestinationTypes types;
    private final ScriptedDestination destination = new ScriptedDestination();
    private final MemoryBackupStore backups = new MemoryBackupStore();
    private DeliveryListener listener = DeliveryListener.NONE;

    @BeforeEach
    void open() throws Exception {
        log = JournalLog.open(LogConfig.defaults(dir.resolve("log")), Clock.systemUTC(), LogListener.NONE);
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (types != null) {
            types.close();
        }
        log.close();
    }

    /** A policy with an error output of the HTTP endpoint's layout and the given stage. */
    private static DeliveryPolicy policy(
            Optional<Duration> retryBudget, int maxPartitions, RecordProcessor... processors) {
        return policy(Duration.ZERO, retryBudget, maxPartitions, processors);
    }

    private static DeliveryPolicy policy(
            Duration interval, Optional<Duration> retryBudget, int maxPartitions, RecordProcessor... processors) {
        return new DeliveryPolicy(
                new BufferingHints(DataSize.ofMebibytes(1), interval),
                10_000,
                retryBudget
                        .<DeliveryPolicy.Retry>map(DeliveryPolicy.Retry.ForDuration::new)
                        .orElseGet(DeliveryPolicy.Retry.UntilExpiry::new),
                Optional.of(new DeliveryPolicy.ErrorOutput(
                        Specs.s3(hints()), "http-endpoint-failed", HttpEndpointDestinationType.ERROR_LAYOUT)),
                Optional.empty(),
                Specs.s3(hints()),
                List.of(processors),
                maxPartitions,
                DeliveryMetricNames.of("DeliveryToTest"));
    }

    private static BufferingHints hints() {
        return new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);
    }

    private void start(DeliveryStream stream, DeliveryPolicy policy, int maxInFlight) throws Exception {
        start(stream, policy, maxInFlight, RecordPayloads.STORED);
    }

    private void start(DeliveryStream stream, DeliveryPolicy policy, int maxInFlight, RecordPayloads payloads)
            throws Exception {
        types = LocalDestinationTypes.in(dir);
        engine = new DeliveryEngine(
                log,
                new DestinationRegistry(List.of(new ScriptedType<>(types.s3(), destination, real -> policy))),
                backups,
                payloads,
                listener,
                new DeliveryConfig(
                        dir.resolve("staging"),
                        maxInFlight,
                        Duration.ofMillis(20),
                        Duration.ofMillis(5),
                        Duration.ofMillis(20),
                        Duration.ofMillis(20),
                        Duration.ofHours(24)),
                Clock.systemUTC(),
                new SplittableRandom(1));
        engine.start(List.of(stream));
    }

    private static DeliveryStream stream() {
        String uid = UUID.randomUUID().toString();
        return TestStreams.active(
                new StreamRef("000000000000", "us-east-1", "s-" + uid.substring(0, 8)), uid, 1, Specs.s3(hints()));
    }

    private void put(DeliveryStream stream, String... texts) throws Exception {
        List<AppendRecord> records = new ArrayList<>();
        for (String text : texts) {
            records.add(AppendRecord.of(text.getBytes(UTF_8), System.currentTimeMillis()));
        }
        log.append(new StreamKey(stream.uid()), records);
    }

    private long committed(DeliveryStream stream) {
        return log.offsets(new StreamKey(stream.uid())).orElseThrow().committed();
    }

    private static String raw(JsonNode document) {
        return new String(Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8);
    }

    @Test
    void retriesOnlyTheRecordsThatFailedAndWritesErrorDocumentsForExactlyTheRejectedOnes() throws Exception {
        DeliveryStream stream = stream();
        put(stream, "r0", "r1", "r2", "r3", "r4", "r5");
        AtomicInteger attempt = new AtomicInteger();
        List<List<String>> sent = new ArrayList<>();
        destination.answer(batch -> {
            sent.add(batch.records.stream().map(b -> new String(b, UTF_8)).toList());
            if (attempt.incrementAndGet() == 1) {
                Map<Integer, DeliveryOutcome.Failure> failures = new TreeMap<>();
                failures.put(1, new DeliveryOutcome.Retry("Test.Busy", "busy"));
                failures.put(3, new DeliveryOutcome.Retry("Test.Busy", "busy"));
                failures.put(
                        4,
                        new DeliveryOutcome.Rejected(
                                "Test.Mapping", "bad document", DeliveryOutcome.Disposal.ERROR_OUTPUT));
                return new DeliveryOutcome.Partial(new TreeMap<>(failures));
            }
            if (attempt.get() == 2) {
                return new DeliveryOutcome.Partial(new TreeMap<>(Map.of(
                        1, new DeliveryOutcome.Rejected("Test.Gone", "gone", DeliveryOutcome.Disposal.DISCARD))));
            }
            return DeliveryOutcome.DELIVERED;
        });
        start(stream, policy(Optional.empty(), 500), 1);
        await().atMost(WAIT).until(() -> committed(stream) == 6);
        assertThat(sent).containsExactly(List.of("r0", "r1", "r2", "r3", "r4", "r5"), List.of("r1", "r3"));
        assertThat(destination.deliveredRecords()).containsExactlyInAnyOrder("r0", "r2", "r5", "r1");
        assertThat(backups.stored()).hasSize(1);
        List<JsonNode> documents = backups.stored().get(0).documents();
        assertThat(documents).extracting(RecordFatesTest::raw).containsExactly("r4");
        assertThat(documents.get(0).get("attemptsMade").asInt()).isEqualTo(1);
        assertThat(documents.get(0).get("errorCode").asText()).isEqualTo("Test.Mapping");
        assertThat(documents.get(0).get("dataId").asText()).isEqualTo("4");
    }

    @Test
    void givesUpOnTheRecordsStillFailingWhenTheRetryBudgetIsSpentWithTheirAttemptCounts() throws Exception {
        DeliveryStream stream = stream();
        put(stream, "a", "b", "c");
        destination.answer(batch -> batch.records.size() == 3
                ? new DeliveryOutcome.Partial(
                        new TreeMap<>(Map.of(2, new DeliveryOutcome.Retry("Test.Throttled", "slow down"))))
                : new DeliveryOutcome.Retry("Test.Throttled", "still slow"));
        start(stream, policy(Optional.of(Duration.ofMillis(50)), 500), 1);
        await().atMost(WAIT).until(() -> committed(stream) == 3);
        assertThat(destination.deliveredRecords()).containsExactly("a", "b");
        List<JsonNode> documents = backups.stored().get(0).documents();
        assertThat(documents).extracting(RecordFatesTest::raw).containsExactly("c");
        assertThat(documents.get(0).get("attemptsMade").asInt()).isEqualTo(destination.attempts());
        assertThat(documents.get(0).get("errorMessage").asText()).isEqualTo("still slow");
    }

    /** Splits records at commas (subsequence numbers), drops "drop", fails "bad", partitions by first letter. */
    private static final class SplitAndRoute implements RecordProcessor.PerRecord {
        @Override
        public void process(ProcessorRecord record, Emitter out) {
            String text = UTF_8.decode(record.data().duplicate()).toString();
            if (text.equals("drop")) {
                return;
            }
            if (text.equals("bad")) {
                out.fail(new ProcessingFailure(
                        ProcessingFailure.PROCESSING_FAILED,
                        "Test.Unparsable",
                        "not a record",
                        1,
                        new LinkedHashMap<>(Map.of("lambdaARN", "arn:aws:lambda:us-east-1:000000000000:function:f"))));
                return;
            }
            String[] parts = text.split(",");
            for (int i = 0; i < parts.length; i++) {
                PartitionKeys keys =
                        PartitionKeys.NONE.withQueryKeys(new TreeMap<>(Map.of("letter", parts[i].substring(0, 1))));
                out.emit(record.split(parts.length, i, ByteBuffer.wrap(parts[i].getBytes(UTF_8)))
                        .withPartitionKeys(keys));
            }
        }
    }

    @Test
    void runsTheProcessorStageAndBatchesRecordsByTheirPartitionKeys() throws Exception {
        DeliveryStream stream = stream();
        put(stream, "a1,b1", "drop", "bad", "a2,a3,b2");
        start(stream, policy(Optional.empty(), 500, new SplitAndRoute()), 2);
        await().atMost(WAIT).until(() -> committed(stream) == 4);
        Map<String, List<String>> byPartition = new TreeMap<>();
        Map<String, List<ScriptedDestination.Origin>> origins = new TreeMap<>();
        for (ScriptedDestination.Received received : destination.delivered()) {
            String letter = received.info().partitionKeys().fromQuery().get("letter");
            received.records()
                    .forEach(r -> byPartition
                            .computeIfAbsent(letter, l -> new ArrayList<>())
                            .add(new String(r, UTF_8)));
            origins.computeIfAbsent(letter, l -> new ArrayList<>()).addAll(received.origins());
        }
        assertThat(byPartition)
                .containsExactly(Map.entry("a", List.of("a1", "a2", "a3")), Map.entry("b", List.of("b1", "b2")));
        assertThat(origins.get("a"))
                .containsExactly(
                        new ScriptedDestination.Origin(0, 0),
                        new ScriptedDestination.Origin(3, 0),
                        new ScriptedDestination.Origin(3, 1));
        assertThat(origins.get("b"))
                .containsExactly(new ScriptedDestination.Origin(0, 1), new ScriptedDestination.Origin(3, 2));
        assertThat(backups.stored()).hasSize(1);
        MemoryBackupStore.Stored errors = backups.stored().get(0);
        assertThat(errors.target().errorOutputType()).contains("processing-failed");
        List<JsonNode> documents = errors.documents();
        assertThat(documents).hasSize(1);
        assertThat(raw(documents.get(0))).isEqualTo("bad");
        List<String> members = new ArrayList<>();
        documents.get(0).fieldNames().forEachRemaining(members::add);
        assertThat(members)
                .containsExactly(
                        "rawData",
                        "errorCode",
                        "errorMessage",
                        "attemptsMade",
                        "arrivalTimestamp",
                        "attemptEndingTimestamp",
                        "lambdaARN");
    }

    @Test
    void flushesEachPartitionWhenItsOwnOldestRecordHasWaitedTheInterval() throws Exception {
        DeliveryStream stream = stream();
        start(stream, policy(Duration.ofSeconds(1), Optional.empty(), 500, new SplitAndRoute()), 2);
        put(stream, "a1");
        Thread.sleep(600);
        put(stream, "b1", "a2");
        await().atMost(WAIT).until(() -> committed(stream) == 1);
        assertThat(destination.deliveredRecords()).containsExactly("a1", "a2");
        await().atMost(WAIT).until(() -> destination.delivered().size() == 2);
        assertThat(destination.deliveredRecords()).containsExactly("a1", "a2", "b1");
        Duration waited = Duration.between(destination.delivered().get(1).info().firstArrival(), Instant.now());
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        await().atMost(WAIT).until(() -> committed(stream) == 3);
    }

    @Test
    void readsAPartitionsRecordsAgainWhenAReadFailureDropsItsOpenBatch() throws Exception {
        DeliveryStream stream = stream();
        String big = "b" + "x".repeat(600_000);
        AtomicInteger failuresLeft = new AtomicInteger(1);
        RecordPayloads flaky = (s, record) -> {
            if (record.offset() == 2 && failuresLeft.getAndDecrement() > 0) {
                throw new UncheckedIOException(new IOException("disk hiccup"));
            }
            return record.payload();
        };
        start(stream, policy(Duration.ofSeconds(1), Optional.empty(), 500, new SplitAndRoute()), 2, flaky);
        put(stream, "x1");
        Thread.sleep(600);
        put(stream, "a1");
        // x1's partition is due first; a1 was read with it and waits in its own open batch ...
        await().atMost(WAIT).until(() -> destination.deliveredRecords().contains("x1"));
        // ... when a read fails in the next pass (two big records: due by size at once).
        put(stream, big, big);
        await().atMost(WAIT).until(() -> committed(stream) == 4);
        assertThat(failuresLeft.get()).isNegative();
        assertThat(destination.deliveredRecords()).containsExactlyInAnyOrder("x1", "a1", big, big);
    }

    @Test
    void countsThePartitionsLeftOpenByEarlierPassesAsActive() throws Exception {
        List<Integer> active = new java.util.concurrent.CopyOnWriteArrayList<>();
        listener = new DeliveryListener() {
            @Override
            public void partitions(DeliveryStream stream, int partitions, int limit, boolean exceeded) {
                active.add(partitions);
            }
        };
        DeliveryStream stream = stream();
        start(stream, policy(Duration.ofMinutes(10), Optional.empty(), 500, new SplitAndRoute()), 2);
        // 1 MiB hints: the first pass reads both records and leaves their two partitions open ...
        put(stream, "a" + "x".repeat(600_000), "b" + "x".repeat(600_000));
        await().atMost(WAIT).until(() -> active.size() == 1);
        // ... the second opens none, fills a's (sent) and adds to b's, still open.
        put(stream, "a" + "x".repeat(400_000), "b" + "x".repeat(400_000), "a" + "x".repeat(300_000));
        await().atMost(WAIT).until(() -> active.size() == 2);
        assertThat(active).containsExactly(2, 2);
        await().atMost(WAIT).until(() -> destination.delivered().size() == 1);
    }

    @Test
    void commitsNoFurtherThanTheLowestRecordOfAPartitionStillBeingDelivered() throws Exception {
        DeliveryStream stream = stream();
        CountDownLatch release = new CountDownLatch(1);
        destination.answer(
                batch -> batch.info.partitionKeys().fromQuery().get("letter").equals("a") && release.getCount() > 0
                        ? new DeliveryOutcome.Retry("Test.Held", "held")
                        : DeliveryOutcome.DELIVERED);
        put(stream, "a1", "b1", "b2", "b3");
        start(stream, policy(Optional.empty(), 500, new SplitAndRoute()), 4);
        await().atMost(WAIT).until(() -> destination.deliveredRecords().size() == 3);
        Thread.sleep(100);
        assertThat(committed(stream)).isZero();
        release.countDown();
        await().atMost(WAIT).until(() -> committed(stream) == 4);
    }

    @Test
    void sendsRecordsBeyondTheActivePartitionLimitToTheErrorOutput() throws Exception {
        DeliveryStream stream = stream();
        put(stream, "a1", "b1", "c1", "a2");
        start(stream, policy(Optional.empty(), 2, new SplitAndRoute()), 2);
        await().atMost(WAIT).until(() -> committed(stream) == 4);
        assertThat(destination.deliveredRecords()).containsExactlyInAnyOrder("a1", "b1", "a2");
        MemoryBackupStore.Stored errors = backups.stored().get(0);
        assertThat(errors.target().errorOutputType()).contains("activePartitionExceeded");
        assertThat(errors.documents()).extracting(RecordFatesTest::raw).containsExactly("c1");
    }

    /** Upper-cases records in batches of at most 4 bytes, two calls at once, answering out of order. */
    private static final class SlowUpperCase implements RecordProcessor.Batched {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Buffering buffering() {
            return new Buffering(DataSize.ofBytes(4), 2);
        }

        @Override
        public CompletableFuture<List<Result>> process(List<ProcessorRecord> records) {
            int call = calls.incrementAndGet();
            return CompletableFuture.supplyAsync(
                    () -> {
                        List<Result> results = new ArrayList<>();
                        for (ProcessorRecord record : records) {
                            String text =
                                    UTF_8.decode(record.data().duplicate()).toString();
                            results.add(new Result.Records(List.of(record.withData(
                                    ByteBuffer.wrap(text.toUpperCase().getBytes(UTF_8))))));
                        }
                        return results;
                    },
                    CompletableFuture.delayedExecutor(
                            call % 2 == 1 ? 50 : 0,
                            TimeUnit.MILLISECONDS,
                            Executors.newVirtualThreadPerTaskExecutor()));
        }
    }

    @Test
    void batchedProcessorsRunConcurrentlyAndKeepTheRecordOrder() throws Exception {
        DeliveryStream stream = stream();
        put(stream, "ab", "cd", "ef", "gh", "ij", "kl");
        SlowUpperCase processor = new SlowUpperCase();
        start(stream, policy(Optional.empty(), 500, processor), 1);
        await().atMost(WAIT).until(() -> committed(stream) == 6);
        assertThat(destination.deliveredRecords()).containsExactly("AB", "CD", "EF", "GH", "IJ", "KL");
        assertThat(processor.calls.get()).isEqualTo(3);
    }
}
