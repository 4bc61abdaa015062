package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationSpec;
import io.sluice.catalog.StreamRef;
import io.sluice.delivery.DeliveryConfig;
import io.sluice.delivery.DeliveryEngine;
import io.sluice.delivery.DeliveryMetrics;
import io.sluice.delivery.RecordPayloads;
import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.DestinationType;
import io.sluice.log.AppendRecord;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import io.sluice.metrics.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every destination keeps with the delivery engine, run against each destination's real
 * implementation and a real (or protocol-faithful) peer: records are delivered once each, in order, and
 * committed only after delivery; a peer that is down is retried until it recovers, across a restart of
 * the engine; a destination with a retry budget gives up and writes one error document per record; a
 * destination that answers per record has only its failed records sent again; backups copy every
 * record; and delivery is published under the destination's own metric names. A subclass supplies the
 * {@link Peer}; what a destination cannot do (S3 never gives up, for instance) is skipped, with the
 * reason, through {@link Peer}'s answers.
 */
public abstract class DestinationContract {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The stream every contract test delivers (a new one each time, under the same name). */
    public static final StreamRef STREAM = new StreamRef("000000000000", "us-east-1", "contract");

    /** How the contract's stream is configured. */
    public record Setup(Duration retryBudget, boolean backupAll) {}

    /** A destination and the peer it delivers to. */
    public interface Peer extends AutoCloseable {
        /** A validated spec of the destination, delivering to this peer, 1 MiB / 0 s hints. */
        DestinationSpec spec(Setup setup);

        /** The destination's type, built as the server builds it, delivering to this peer. */
        DestinationType<?> type();

        /** Every later attempt fails as an outage would (retryable), until {@link #recover()}. */
        void fail() throws Exception;

        void recover() throws Exception;

        /** The records the peer holds, in the order it received them (asked only while it is up). */
        List<String> received() throws Exception;

        /** Whether the destination gives up on records when its retry budget is spent. */
        boolean givesUp();

        /**
         * Makes the peer accept every record of the next attempts except {@code refused}, which it
         * refuses per record as retryable; false if the destination delivers whole batches only.
         */
        boolean refuseOnly(String refused);

        /** The Firehose name of the destination's delivered-records metric, e.g. {@code DeliveryToS3.Records}. */
        String deliveredRecordsMetric();

        /**
         * The text of the record the contract calls {@code name} ({@code a-0}, {@code e-3}): the name itself,
         * unless the destination delivers only some kind of record (a search cluster indexes JSON objects).
         */
        default String record(String name) {
            return name;
        }
    }

    @TempDir
    protected Path dir;

    private RecordLog log;
    private DeliveryEngine engine;
    private Peer peer;
    private Metrics metrics;
    private final MemoryBackupStore backups = new MemoryBackupStore();

    /** The peer for one test; closed after it. */
    protected abstract Peer peer() throws Exception;

    @BeforeEach
    void openContract() throws Exception {
        log = JournalLog.open(LogConfig.defaults(dir.resolve("log")), Clock.systemUTC(), LogListener.NONE);
        peer = peer();
    }

    @AfterEach
    void closeContract() throws Exception {
        if (engine != null) {
            engine.close();
        }
        log.close();
        peer.close();
    }

    private void startEngine(DeliveryStream stream) {
        metrics = new Metrics();
        DestinationRegistry registry = new DestinationRegistry(List.of(peer.type()));
        engine = new DeliveryEngine(
                log,
                registry,
                backups,
                RecordPayloads.STORED,
                new DeliveryMetrics(metrics, registry),
                new DeliveryConfig(
                        dir.resolve("staging"),
                        4,
                        Duration.ofMillis(20),
                        Duration.ofMillis(10),
                        Duration.ofMillis(100),
                        Duration.ofMillis(100),
                        Duration.ofHours(24)),
                Clock.systemUTC(),
                new SplittableRandom(1));
        engine.start(List.of(stream));
    }

    private DeliveryStream stream(Setup setup) {
        return TestStreams.active(STREAM, UUID.randomUUID().toString(), 1, peer.spec(setup));
    }

    private static Setup plain() {
        return new Setup(Duration.ofHours(1), false);
    }

    private List<String> put(DeliveryStream stream, String prefix, int count) throws Exception {
        List<AppendRecord> records = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String text = peer.record(prefix + "-" + i);
            sent.add(text);
            records.add(AppendRecord.of(text.getBytes(UTF_8), System.currentTimeMillis()));
        }
        log.append(new StreamKey(stream.uid()), records);
        return sent;
    }

    private long committed(DeliveryStream stream) {
        return log.offsets(new StreamKey(stream.uid())).orElseThrow().committed();
    }

    private static String rawData(JsonNode document) {
        return new String(Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8);
    }

    @Test
    void deliversEveryRecordInOrderAndCommitsAfterDelivery() throws Exception {
        DeliveryStream stream = stream(plain());
        List<String> sent = put(stream, "a", 50);
        startEngine(stream);
        await().atMost(WAIT).until(() -> committed(stream) == 50);
        assertThat(peer.received()).containsExactlyElementsOf(sent);
        assertThat(backups.stored()).isEmpty();
    }

    @Test
    void retriesWhileThePeerIsDownAndCommitsOnlyWhenItHasTheRecords() throws Exception {
        DeliveryStream stream = stream(plain());
        peer.fail();
        List<String> sent = put(stream, "b", 10);
        startEngine(stream);
        await().atMost(WAIT).until(() -> attempts(stream) >= 3);
        assertThat(committed(stream)).isZero();
        peer.recover();
        await().atMost(WAIT).until(() -> committed(stream) == 10);
        assertThat(peer.received()).containsExactlyElementsOf(sent);
    }

    @Test
    void deliversWhatWasNotCommittedAfterARestart() throws Exception {
        DeliveryStream stream = stream(plain());
        peer.fail();
        List<String> sent = put(stream, "c", 10);
        startEngine(stream);
        await().atMost(WAIT).until(() -> attempts(stream) >= 2);
        engine.close();
        assertThat(committed(stream)).isZero();
        peer.recover();
        startEngine(stream);
        await().atMost(WAIT).until(() -> committed(stream) == 10);
        assertThat(peer.received()).containsAll(sent);
    }

    @Test
    void givesUpWhenTheRetryBudgetIsSpentAndWritesOneErrorDocumentPerRecord() throws Exception {
        assumeThat(peer.givesUp())
                .as("the destination retries until the retention ends instead of giving up")
                .isTrue();
        DeliveryStream stream = stream(new Setup(Duration.ZERO, false));
        peer.fail();
        List<String> sent = put(stream, "d", 6);
        startEngine(stream);
        await().atMost(WAIT).until(() -> committed(stream) == 6);
        peer.recover();
        assertThat(peer.received()).isEmpty();
        assertThat(backups.stored()).hasSize(1);
        MemoryBackupStore.Stored errors = backups.stored().get(0);
        assertThat(errors.target().errorOutputType()).isPresent();
        assertThat(errors.documents()).extracting(DestinationContract::rawData).containsExactlyElementsOf(sent);
        assertThat(errors.documents())
                .allSatisfy(d -> assertThat(d.get("attemptsMade").asInt()).isGreaterThanOrEqualTo(1));
        assertThat(scraped(stream, "DeliveryFailed.Records")).isEqualTo(6);
    }

    @Test
    void sendsOnlyTheRecordsThatFailedAgain() throws Exception {
        assumeThat(peer.refuseOnly(peer.record("e-3")))
                .as("the destination delivers whole batches")
                .isTrue();
        DeliveryStream stream = stream(plain());
        List<String> sent = put(stream, "e", 6);
        startEngine(stream);
        await().atMost(WAIT).until(() -> peer.received().size() == 5);
        assertThat(committed(stream)).isZero();
        peer.recover();
        await().atMost(WAIT).until(() -> committed(stream) == 6);
        assertThat(peer.received()).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(peer.received()).last().isEqualTo(peer.record("e-3"));
    }

    @Test
    void backsUpEveryRecordWhenAllDataIsBackedUp() throws Exception {
        DeliveryStream stream = stream(new Setup(Duration.ofHours(1), true));
        List<String> sent = put(stream, "f", 8);
        startEngine(stream);
        await().atMost(WAIT).until(() -> committed(stream) == 8);
        assertThat(peer.received()).containsExactlyElementsOf(sent);
        assertThat(backups.stored()).hasSize(1);
        assertThat(backups.stored().get(0).target().errorOutputType()).isEmpty();
        assertThat(new String(backups.stored().get(0).content(), UTF_8)).isEqualTo(String.join("", sent));
    }

    @Test
    void publishesDeliveryUnderTheDestinationsMetricNames() throws Exception {
        DeliveryStream stream = stream(plain());
        put(stream, "g", 12);
        startEngine(stream);
        await().atMost(WAIT).until(() -> committed(stream) == 12);
        assertThat(scraped(stream, peer.deliveredRecordsMetric())).isEqualTo(12);
    }

    private double scraped(DeliveryStream stream, String firehoseName) {
        String name = "firehose_" + firehoseName.replace('.', '_') + "_total";
        return Scrapes.streamValue(metrics.scrape(), name, stream.ref().name());
    }

    /** Delivery attempts so far, from the destination's {@code .Attempts} metric. */
    private double attempts(DeliveryStream stream) {
        return scraped(stream, peer.deliveredRecordsMetric().replace(".Records", ".Attempts"));
    }
}
