package io.sluice.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationSpec;
import io.sluice.catalog.StreamRef;
import io.sluice.common.DataSize;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.http.HttpEndpointDestinationSpec;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.log.AppendRecord;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import io.sluice.testing.LocalDestinationTypes;
import io.sluice.testing.MemoryBackupStore;
import io.sluice.testing.Specs;
import io.sluice.testing.TestStreams;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's contract with any destination: batching, retries, commits, expiry, restarts. */
class DeliveryEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private RecordLog log;
    private LocalDestinationTypes types;
    private DestinationRegistry destinations;
    private DeliveryEngine engine;
    private final ScriptedDestination destination = new ScriptedDestination();
    private final MemoryBackupStore backups = new MemoryBackupStore();
    private final List<Long> expired = new CopyOnWriteArrayList<>();
    private final AtomicLong deliveredRecords = new AtomicLong();

    @BeforeEach
    void open() throws Exception {
        log = JournalLog.open(LogConfig.defaults(dir.resolve("log")), Clock.systemUTC(), LogListener.NONE);
        types = LocalDestinationTypes.in(dir);
        destinations = new DestinationRegistry(
                List.of(new ScriptedType<>(types.s3(), destination), new ScriptedType<>(types.http(), destination)));
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        log.close();
        types.close();
    }

    private DeliveryEngine engine(Duration retention, int maxInFlight) {
        DeliveryListener listener = new DeliveryListener() {
            @Override
            public void delivered(DeliveryStream stream, long records, long bytes, Duration freshness) {
                deliveredRecords.addAndGet(records);
            }

            @Override
            public void expired(DeliveryStream stream, long records, long bytes) {
                expired.add(records);
            }
        };
        return new DeliveryEngine(
                log,
                destinations,
                backups,
                RecordPayloads.STORED,
                listener,
                new DeliveryConfig(
                        dir.resolve("staging"),
                        maxInFlight,
                        Duration.ofMillis(20),
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofMillis(50),
                        retention),
                Clock.systemUTC(),
                new SplittableRandom(1));
    }

    private static DeliveryStream stream(String uid, BufferingHints hints, long version) {
        return stream(uid, Specs.s3(hints), version);
    }

    private static DeliveryStream httpStream(Duration retryDuration, HttpEndpointDestinationSpec.BackupMode mode) {
        HttpEndpointDestinationSpec spec = new HttpEndpointDestinationSpec(
                new HttpEndpointDestinationSpec.Endpoint(
                        URI.create("https://receiver.invalid/"), Optional.empty(), Optional.empty()),
                hints(1, 0),
                retryDuration,
                HttpEndpointDestinationSpec.ContentEncoding.NONE,
                List.of(),
                mode,
                Specs.s3(hints(1, 0)),
                Optional.empty(),
                S3DestinationSpec.CloudWatchLogging.DISABLED,
                Optional.empty());
        return stream(UUID.randomUUID().toString(), spec, 1);
    }

    private static DeliveryStream stream(String uid, DestinationSpec spec, long version) {
        return TestStreams.active(
                new StreamRef("000000000000", "us-east-1", "s-" + uid.substring(0, 8)), uid, version, spec);
    }

    private static BufferingHints hints(long mebibytes, long seconds) {
        return new BufferingHints(DataSize.ofMebibytes(mebibytes), Duration.ofSeconds(seconds));
    }

    private List<String> put(DeliveryStream stream, int from, int count, int size) throws Exception {
        List<AppendRecord> records = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String text = String.format("%08d", i) + "x".repeat(Math.max(0, size - 8));
            sent.add(text);
            records.add(AppendRecord.of(text.getBytes(UTF_8), System.currentTimeMillis()));
        }
        log.append(new StreamKey(stream.uid()), records);
        return sent;
    }

    private long committed(DeliveryStream stream) {
        return log.offsets(new StreamKey(stream.uid())).orElseThrow().committed();
    }

    @Test
    void deliversEverythingInOrderAndCommitsAfterDelivery() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(1, 0), 1);
        List<String> sent = new ArrayList<>();
        for (int batch = 0; batch < 20; batch++) {
            sent.addAll(put(stream, batch * 50, 50, 100));
        }
        engine = engine(Duration.ofHours(24), 2);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 1000);
        assertThat(destination.deliveredRecords()).containsExactlyElementsOf(sent);
        assertThat(deliveredRecords.get()).isEqualTo(1000);
    }

    @Test
    void cutsBatchesWhenTheSizeHintIsCrossedWithoutSplittingRecords() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(1, 900), 1);
        put(stream, 0, 35, 100_000);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> destination.delivered().size() == 3);
        assertThat(destination.delivered()).extracting(r -> r.records().size()).containsExactly(11, 11, 11);
        assertThat(committed(stream)).isEqualTo(33);
        assertThat(destination.delivered().get(1).info().sequence()).isEqualTo(1);
    }

    @Test
    void flushesASmallBufferWhenItsIntervalHasPassed() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(5, 1), 1);
        put(stream, 0, 3, 10);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> destination.delivered().size() == 1);
        assertThat(destination.deliveredRecords()).hasSize(3);
        Duration waited = Duration.between(destination.delivered().get(0).info().firstArrival(), Instant.now());
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retriesTheSameBatchUntilItIsDeliveredAndCommitsOnlyThen() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(1, 0), 1);
        put(stream, 0, 10, 10);
        AtomicLong failuresLeft = new AtomicLong(5);
        destination.answer(batch -> failuresLeft.getAndDecrement() > 0
                ? new DeliveryOutcome.Retry("S3.NoSuchBucket", "bucket missing")
                : DeliveryOutcome.DELIVERED);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> destination.delivered().size() == 1);
        assertThat(destination.attempts()).isEqualTo(6);
        await().atMost(WAIT).until(() -> committed(stream) == 10);
    }

    @Test
    void retriesABatchWhoseSendThrowsInsteadOfSkippingIt() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(1, 0), 1);
        put(stream, 0, 3, 10);
        AtomicLong failuresLeft = new AtomicLong(2);
        destination.answer(batch -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new NoClassDefFoundError("a class missing at run time");
            }
            return DeliveryOutcome.DELIVERED;
        });
        engine = engine(Duration.ofHours(24), 2);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 3);
        assertThat(destination.deliveredRecords()).hasSize(3);
        assertThat(destination.attempts()).isEqualTo(3);
    }

    @Test
    void startsAgainFromTheCommittedOffsetWhenARecordCannotBeRead() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(1, 0), 1);
        List<String> sent = put(stream, 0, 4, 10);
        AtomicLong unreadable = new AtomicLong(2);
        RecordPayloads flaky = (s, record) -> {
            if (record.offset() == 2 && unreadable.getAndDecrement() > 0) {
                throw new IllegalStateException("key missing");
            }
            return record.payload();
        };
        engine = new DeliveryEngine(
                log,
                destinations,
                backups,
                flaky,
                DeliveryListener.NONE,
                new DeliveryConfig(
                        dir.resolve("staging"),
                        1,
                        Duration.ofMillis(20),
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofMillis(50),
                        Duration.ofHours(24)),
                Clock.systemUTC(),
                new SplittableRandom(1));
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 4);
        assertThat(destination.deliveredRecords()).containsExactlyElementsOf(sent);
    }

    @Test
    void commitsOnlyTheContiguousPrefixOfBatchesFinishedOutOfOrder() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(1, 0), 1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        destination.answer(batch -> {
            if (batch.info.sequence() == 0 && releaseFirst.getCount() > 0) {
                return new DeliveryOutcome.Retry("Test.Held", "held back");
            }
            return DeliveryOutcome.DELIVERED;
        });
        engine = engine(Duration.ofHours(24), 3);
        engine.start(List.of(stream));
        put(stream, 0, 5, 10);
        await().atMost(WAIT).until(() -> destination.attempts() >= 1);
        put(stream, 5, 5, 10);
        await().atMost(WAIT).until(() -> destination.delivered().size() >= 1);
        assertThat(committed(stream)).isZero();
        releaseFirst.countDown();
        await().atMost(WAIT).until(() -> committed(stream) == 10);
    }

    @Test
    void dropsAndCountsDataThatOutlivesTheRetention() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(1, 0), 1);
        destination.answer(batch -> new DeliveryOutcome.Retry("S3.AccessDenied", "denied"));
        put(stream, 0, 7, 10);
        engine = engine(Duration.ofMillis(300), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 7);
        assertThat(expired).containsExactly(7L);
        assertThat(destination.delivered()).isEmpty();
    }

    @Test
    void resumesFromTheCommittedOffsetAfterARestart() throws Exception {
        DeliveryStream stream = stream(UUID.randomUUID().toString(), hints(1, 0), 1);
        List<String> sent = new ArrayList<>(put(stream, 0, 10, 10));
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 10);
        destination.answer(batch -> new DeliveryOutcome.Retry("S3.ServiceUnavailable", "down"));
        sent.addAll(put(stream, 10, 10, 10));
        await().atMost(WAIT).until(() -> destination.attempts() >= 3);
        engine.close();
        assertThat(committed(stream)).isEqualTo(10);

        destination.answer(batch -> DeliveryOutcome.DELIVERED);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 20);
        assertThat(destination.deliveredRecords()).containsExactlyElementsOf(sent);
    }

    @Test
    void appliesAnUpdatedConfigurationFromTheNextBatch() throws Exception {
        DeliveryStream v1 = stream(UUID.randomUUID().toString(), hints(1, 0), 1);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(v1));
        put(v1, 0, 2, 10);
        await().atMost(WAIT).until(() -> destination.delivered().size() == 1);
        DeliveryStream v2 = stream(v1.uid(), hints(2, 0), 2);
        engine.changed(v2);
        put(v1, 2, 2, 10);
        await().atMost(WAIT).until(() -> destination.delivered().size() == 2);
        assertThat(destination.delivered())
                .extracting(r -> r.info().stream().version())
                .containsExactly(1L, 2L);
    }

    @Test
    void givesUpAfterTheRetryBudgetAndWritesAnErrorDocumentPerRecord() throws Exception {
        DeliveryStream stream =
                httpStream(Duration.ofMillis(200), HttpEndpointDestinationSpec.BackupMode.FAILED_DATA_ONLY);
        destination.answer(batch -> new DeliveryOutcome.Retry("HttpEndpoint.DestinationException", "500: broken"));
        List<String> sent = put(stream, 0, 6, 20);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 6);
        assertThat(backups.stored()).hasSize(1);
        MemoryBackupStore.Stored stored = backups.stored().get(0);
        assertThat(stored.target().errorOutputType()).contains("http-endpoint-failed");
        assertThat(stored.target().location().bucket()).isEqualTo("bucket");
        List<JsonNode> documents = stored.documents();
        assertThat(documents)
                .extracting(d ->
                        new String(Base64.getDecoder().decode(d.get("rawData").asText()), UTF_8))
                .containsExactlyElementsOf(sent);
        assertThat(documents).extracting(d -> d.get("dataId").asText()).containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(documents).allSatisfy(d -> {
            assertThat(d.get("attemptsMade").asInt()).isEqualTo(destination.attempts());
            assertThat(d.get("errorCode").asText()).isEqualTo("HttpEndpoint.DestinationException");
            assertThat(d.get("errorMessage").asText()).isEqualTo("500: broken");
        });
        assertThat(destination.attempts()).isGreaterThan(1);
        assertThat(expired).isEmpty();
    }

    @Test
    void givesUpAtOnceWithAZeroRetryBudget() throws Exception {
        DeliveryStream stream = httpStream(Duration.ZERO, HttpEndpointDestinationSpec.BackupMode.FAILED_DATA_ONLY);
        destination.answer(batch -> new DeliveryOutcome.Retry("HttpEndpoint.RequestTimeout", "slow"));
        put(stream, 0, 3, 10);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 3);
        assertThat(destination.attempts()).isEqualTo(1);
        assertThat(backups.stored().get(0).documents()).hasSize(3);
    }

    @Test
    void discardsARejectedBatchWithoutErrorOutputAndGoesOn() throws Exception {
        DeliveryStream stream =
                httpStream(Duration.ofHours(1), HttpEndpointDestinationSpec.BackupMode.FAILED_DATA_ONLY);
        destination.answer(batch -> new DeliveryOutcome.Rejected(
                "HttpEndpoint.DestinationException", "413", DeliveryOutcome.Disposal.DISCARD));
        put(stream, 0, 4, 10);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 4);
        assertThat(destination.attempts()).isEqualTo(1);
        destination.answer(batch -> DeliveryOutcome.DELIVERED);
        List<String> later = put(stream, 4, 2, 10);
        await().atMost(WAIT).until(() -> committed(stream) == 6);
        assertThat(destination.deliveredRecords()).containsExactlyElementsOf(later);
        assertThat(backups.stored()).isEmpty();
    }

    @Test
    void retriesTheErrorOutputUntilItIsStoredAndCommitsOnlyThen() throws Exception {
        DeliveryStream stream = httpStream(Duration.ZERO, HttpEndpointDestinationSpec.BackupMode.FAILED_DATA_ONLY);
        destination.answer(batch -> new DeliveryOutcome.Retry("HttpEndpoint.ConnectionFailed", "refused"));
        backups.fail();
        put(stream, 0, 5, 10);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> backups.attempts() >= 3);
        assertThat(committed(stream)).isZero();
        assertThat(backups.stored()).isEmpty();
        backups.recover();
        await().atMost(WAIT).until(() -> committed(stream) == 5);
        assertThat(backups.stored()).hasSize(1);
        assertThat(backups.stored().get(0).documents()).hasSize(5);
    }

    @Test
    void backsUpEveryBatchWithAllData() throws Exception {
        DeliveryStream stream = httpStream(Duration.ZERO, HttpEndpointDestinationSpec.BackupMode.ALL_DATA);
        List<String> sent = put(stream, 0, 8, 10);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 8);
        assertThat(destination.deliveredRecords()).containsExactlyElementsOf(sent);
        assertThat(backups.stored()).hasSize(1);
        assertThat(backups.stored().get(0).target().errorOutputType()).isEmpty();
        assertThat(new String(backups.stored().get(0).content(), UTF_8)).isEqualTo(String.join("", sent));
    }

    @Test
    void cutsBatchesAtTenThousandRecordsForHttpEndpoints() throws Exception {
        DeliveryStream stream = httpStream(Duration.ZERO, HttpEndpointDestinationSpec.BackupMode.FAILED_DATA_ONLY);
        put(stream, 0, 10_500, 8);
        engine = engine(Duration.ofHours(24), 1);
        engine.start(List.of(stream));
        await().atMost(WAIT).until(() -> committed(stream) == 10_500);
        assertThat(destination.delivered()).extracting(r -> r.records().size()).containsExactly(10_000, 500);
    }
}
