package io.sluice.durability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.destination.s3.S3ProxyServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sluice killed with SIGKILL while it delivers, to S3 (s3proxy) or to its embedded local store, again
 * and again, under load: after a last restart every acknowledged record is delivered at least once (batches in flight at the kill
 * are delivered again, so duplicates are allowed).
 */
class DeliveryKillIT {
    private static final String BUCKET = "killed-mid-upload";
    private static final List<String> STREAMS = List.of("upload-a", "upload-b");
    private static final int ROUNDS = 3;
    private static final long SEED = 4_242L;
    private static final Load.Shape SHAPE = new Load.Shape(50, 200, 2_000, Duration.ZERO);

    private Path dataDir;

    @BeforeEach
    void createDataDir() throws IOException {
        dataDir = Files.createTempDirectory("sluice-delivery-kill-");
    }

    @AfterEach
    void deleteDataDir() {
        RunningSluice.deleteRecursively(dataDir);
        RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    @Test
    void deliversEveryAcknowledgedRecordAtLeastOnceToS3AcrossSigkillsMidUpload() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                S3Client bucket = s3.client()) {
            bucket.createBucket(b -> b.bucket(BUCKET));
            killWhileDelivering(
                    ChildSettings.s3(s3, S3ProxyServer.SECRET_KEY), () -> StoredIds.inBucket(bucket, BUCKET));
        }
    }

    /** The embedded local store, where each object must also appear whole or not at all. */
    @Test
    void deliversEveryAcknowledgedRecordAtLeastOnceToTheLocalStoreAcrossSigkillsMidWrite() throws Exception {
        killWhileDelivering(Map.of(), () -> {
            List<String> ids = new ArrayList<>();
            for (Path object : Streams.localObjects(dataDir, BUCKET)) {
                String text = Files.readString(object, UTF_8);
                assertThat(text).as("object %s is whole", object).endsWith("\n");
                ids.addAll(Ledger.ids(text));
            }
            return ids;
        });
    }

    private void killWhileDelivering(Map<String, String> environment, Callable<List<String>> delivered)
            throws Exception {
        Ledger ledger = new Ledger();
        List<Ledger.Producer> producers = new ArrayList<>();
        for (String stream : STREAMS) {
            producers.add(ledger.producer(stream, 0));
            producers.add(ledger.producer(stream, 1));
        }
        Random moments = new Random(SEED);
        for (int round = 0; round < ROUNDS; round++) {
            try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
                if (round == 0) {
                    try (FirehoseClient firehose = sluice.client()) {
                        for (String stream : STREAMS) {
                            Streams.createS3(
                                    firehose,
                                    stream,
                                    BUCKET,
                                    s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
                        }
                    }
                }
                int before = delivered.call().size();
                try (Load load = Load.start(sluice.endpoint(), producers, SHAPE, SEED + round)) {
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(300))
                            .until(() -> load.acknowledgedRequests() >= 10
                                    && delivered.call().size() > before + 500);
                    Thread.sleep(moments.nextInt(500));
                    sluice.kill();
                }
            }
        }
        List<String> acknowledged = ledger.acknowledged();
        assertThat(acknowledged).isNotEmpty();
        try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> new HashSet<>(delivered.call()).containsAll(acknowledged));
        }
        assertThat(delivered.call()).allMatch(ledger::sent, "was sent");
    }
}
