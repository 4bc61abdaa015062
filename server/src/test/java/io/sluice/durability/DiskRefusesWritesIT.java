package io.sluice.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * The disk refuses the log's writes, as a full disk does: the Sluice process's file size limit is
 * lowered to 0 while producers put, so every write fails ("File too large"; the JVM ignores SIGXFSZ),
 * then raised again. Meanwhile puts get 503 ServiceUnavailableException, never another error, and
 * Sluice keeps running; afterwards puts are acknowledged again, and the log holds every acknowledged
 * record exactly once and in order, none of the refused ones.
 *
 * <p>Sluice's own log goes to a file too, so what it logs while the limit is 0 is lost; this test
 * does not look at it. Delivery goes to a closed port, so the log keeps everything to check.
 */
class DiskRefusesWritesIT {
    private static final String STREAM = "refused";
    private static final String UNAVAILABLE = "ServiceUnavailableException (HTTP 503)";
    private static final Load.Shape SHAPE = new Load.Shape(20, 500, 4_000, Duration.ofMillis(5));

    @Test
    void answers503WhileWritesFailAndKeepsEveryAcknowledgedRecordOnceWhenTheyWorkAgain() throws Exception {
        ExternalCommand.assumeAvailable("prlimit", "--version");
        Path dataDir = Files.createTempDirectory("sluice-disk-refuses-");
        Map<String, String> environment = Map.of(
                "SLUICE_S3_ENDPOINT", "http://127.0.0.1:" + IngestKillIT.closedPort(),
                "SLUICE_S3_ACCESS_KEY", "unused",
                "SLUICE_S3_SECRET_KEY", "unused",
                "SLUICE_LOG_SEGMENT_SIZE", "1MiB");
        Ledger ledger = new Ledger();
        try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
            try (FirehoseClient firehose = sluice.client()) {
                Streams.createS3(
                        firehose,
                        STREAM,
                        "unreachable",
                        s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            }
            try (Load load = Load.start(
                    sluice.endpoint(), List.of(ledger.producer(STREAM, 0), ledger.producer(STREAM, 1)), SHAPE, 28)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedRequests() >= 50);
                limitFileSize(sluice, "0:");
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> load.failures().getOrDefault(UNAVAILABLE, 0) >= 50);
                assertThat(load.failures()).containsOnlyKeys(UNAVAILABLE);
                assertThat(health(sluice)).isEqualTo(200);

                limitFileSize(sluice, "unlimited:");
                int whenRefused = load.acknowledgedRequests();
                await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedRequests() > whenRefused + 100);
                assertThat(load.failures()).containsOnlyKeys(UNAVAILABLE);
                sluice.kill();
            }
            LogProof.everyAcknowledgedRecordOnceInOrder(dataDir, ledger, List.of(STREAM));
        } finally {
            RunningSluice.deleteRecursively(dataDir);
            RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        }
    }

    /** Sets the soft limit on the size of the files the process writes ({@code <bytes>:}). */
    private static void limitFileSize(SluiceProcess sluice, String limit) {
        ExternalCommand.Result result = ExternalCommand.run(
                Map.of(), null, "prlimit", "--pid", Long.toString(sluice.pid()), "--fsize=" + limit);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    private static int health(SluiceProcess sluice) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(sluice.endpoint().resolve("/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}
