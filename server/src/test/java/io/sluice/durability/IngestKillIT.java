package io.sluice.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * Sluice killed with SIGKILL under sustained concurrent load, again and again on the same data
 * directory, every other time with a torn frame left at the end of its newest segment: every
 * acknowledged record is in the record log exactly once, and each producer's acknowledged records are
 * in the order they were acknowledged. And a bit flipped in an older segment loses the rest of that
 * segment only, nothing before or after it.
 *
 * <p>Delivery is kept from committing anything, so the log keeps every record and can be checked
 * whole: the streams deliver to an S3 endpoint on a closed loopback port, which delivery retries
 * without end.
 */
class IngestKillIT {
    private static final List<String> STREAMS = List.of("kill-a", "kill-b", "kill-c");
    private static final int PRODUCERS_PER_STREAM = 2;
    private static final int ROUNDS = 5;
    private static final long SEED = 20_261_122L;
    private static final Load.Shape SHAPE = new Load.Shape(40, 20, 400, Duration.ZERO);

    private Path dataDir;

    @BeforeEach
    void createDataDir() throws IOException {
        dataDir = Files.createTempDirectory("sluice-ingest-kill-");
    }

    @AfterEach
    void deleteDataDir() {
        RunningSluice.deleteRecursively(dataDir);
        RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    @Test
    void keepsEveryAcknowledgedRecordExactlyOnceInOrderAcrossSigkills() throws Exception {
        Map<String, String> environment = undeliverable();
        Ledger ledger = new Ledger();
        List<Ledger.Producer> producers = producers(ledger);
        Random moments = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
                if (round == 0) {
                    createStreams(sluice);
                }
                try (Load load = Load.start(sluice.endpoint(), producers, SHAPE, SEED + round)) {
                    int wanted = 20 + moments.nextInt(40);
                    await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedRequests() >= wanted);
                    Thread.sleep(moments.nextInt(300));
                    sluice.kill();
                }
            }
            if (round % 2 == 1) {
                tearNewestSegment(moments);
            }
        }

        assertThat(ledger.acknowledgedCount()).isGreaterThan(ROUNDS * 20);
        LogProof.everyAcknowledgedRecordOnceInOrder(dataDir, ledger, STREAMS);
    }

    @Test
    void losesOnlyTheRestOfABitFlippedSegmentAndKeepsEverythingElse() throws Exception {
        Map<String, String> environment = undeliverable();
        Ledger ledger = new Ledger();
        List<Ledger.Producer> producers = producers(ledger);
        try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
            createStreams(sluice);
            try (Load load = Load.start(sluice.endpoint(), producers, SHAPE, SEED)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> segments().size() >= 6);
                sluice.kill();
            }
        }
        Path damaged = segments().get(2);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(damaged, bytes);
        try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
            try (Load load = Load.start(sluice.endpoint(), producers, SHAPE, SEED + 1)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedRequests() >= 30);
                sluice.kill();
            }
            assertThat(sluice.logText())
                    .contains(" ERROR ", damaged.getFileName().toString());
        }

        int lost = 0;
        for (String stream : STREAMS) {
            List<String> stored = StoredIds.inLog(dataDir, stream);
            assertThat(new HashSet<>(stored)).hasSameSizeAs(stored);
            for (Ledger.Producer producer : ledger.producers()) {
                if (!producer.stream().equals(stream)) {
                    continue;
                }
                List<String> acknowledged = producer.acknowledgedIds();
                Set<String> present = new HashSet<>(stored);
                List<Integer> missing = new ArrayList<>();
                for (int i = 0; i < acknowledged.size(); i++) {
                    if (!present.contains(acknowledged.get(i))) {
                        missing.add(i);
                    }
                }
                lost += missing.size();
                if (!missing.isEmpty()) {
                    assertThat(missing.get(missing.size() - 1) - missing.get(0))
                            .as(
                                    "acknowledged records lost by a producer of %s form one run (the damaged frames)",
                                    stream)
                            .isEqualTo(missing.size() - 1);
                }
                Set<String> wanted = new HashSet<>(acknowledged);
                assertThat(stored.stream().filter(wanted::contains).toList())
                        .isEqualTo(
                                acknowledged.stream().filter(present::contains).toList());
            }
        }
        assertThat(lost)
                .as("acknowledged records lost with the damaged segment")
                .isPositive();
        assertThat(lost).isLessThan(ledger.acknowledgedCount() / 2);
    }

    private static Map<String, String> undeliverable() throws IOException {
        return Map.of(
                "SLUICE_S3_ENDPOINT", "http://127.0.0.1:" + closedPort(),
                "SLUICE_S3_ACCESS_KEY", "unused",
                "SLUICE_S3_SECRET_KEY", "unused",
                "SLUICE_LOG_SEGMENT_SIZE", "256KiB");
    }

    private static List<Ledger.Producer> producers(Ledger ledger) {
        List<Ledger.Producer> producers = new ArrayList<>();
        for (String stream : STREAMS) {
            for (int p = 0; p < PRODUCERS_PER_STREAM; p++) {
                producers.add(ledger.producer(stream, p));
            }
        }
        return producers;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("log"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg"))
                    .sorted()
                    .toList();
        }
    }

    private static void createStreams(SluiceProcess sluice) {
        try (FirehoseClient client = sluice.client()) {
            for (String stream : STREAMS) {
                Streams.createS3(
                        client,
                        stream,
                        "unreachable",
                        s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            }
        }
    }

    /**
     * What a power loss mid-write leaves (SIGKILL alone never does, the page cache keeps every finished
     * write): the start of a frame at the end of the newest segment, its length promising more bytes
     * than follow and its checksum wrong. Recovery must cut it off and lose nothing acknowledged.
     */
    private void tearNewestSegment(Random random) throws IOException {
        List<Path> segments = segments();
        Path newest = segments.get(segments.size() - 1);
        int length = 64 + random.nextInt(4_000);
        byte[] torn = new byte[8 + random.nextInt(length)];
        random.nextBytes(torn);
        ByteBuffer.wrap(torn).putInt(length);
        Files.write(newest, torn, StandardOpenOption.APPEND);
    }

    /** A loopback port nothing listens on (it was free a moment ago; connections to it are refused). */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
