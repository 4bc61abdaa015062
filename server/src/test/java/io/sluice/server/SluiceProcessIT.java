package io.sluice.server;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;

/**
 * {@code sluice serve} as a process: readiness, health, SIGTERM, a catalog that survives SIGKILL, and a
 * start among Kubernetes' service-link variables.
 */
class SluiceProcessIT {
    private Path dataDir;

    @BeforeEach
    void createDataDir() throws Exception {
        dataDir = Files.createTempDirectory("sluice-process-");
    }

    @AfterEach
    void deleteDataDir() {
        RunningSluice.deleteRecursively(dataDir);
        RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    @Test
    void answersHealthAndStopsCleanlyOnSigterm() throws Exception {
        try (SluiceProcess sluice = SluiceProcess.start(dataDir)) {
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(sluice.endpoint().resolve("/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(sluice.terminate()).isIn(0, 143);
        }
    }

    @Test
    void startsInANamespaceWithAServiceNamedSluiceAndWarnsOnceOfAnUnknownVariable() {
        Map<String, String> environment = Map.of(
                "SLUICE_SERVICE_HOST", "10.96.0.12",
                "SLUICE_SERVICE_PORT", "4573",
                "SLUICE_SERVICE_PORT_API", "4573",
                "SLUICE_PORT", "tcp://10.96.0.12:4573",
                "SLUICE_PORT_4573_TCP", "tcp://10.96.0.12:4573",
                "SLUICE_PORT_4573_TCP_PROTO", "tcp",
                "SLUICE_PORT_4573_TCP_PORT", "4573",
                "SLUICE_PORT_4573_TCP_ADDR", "10.96.0.12",
                "SLUICE_NOT_A_SETTING", "1");
        try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment);
                FirehoseClient client = sluice.client()) {
            assertThat(client.listDeliveryStreams(b -> b.limit(10)).deliveryStreamNames())
                    .isEmpty();
            String log = sluice.logText();
            assertThat(log.lines().filter(line -> line.contains("SLUICE_NOT_A_SETTING")))
                    .singleElement(as(InstanceOfAssertFactories.STRING))
                    .contains("WARN")
                    .contains(
                            "environment variable SLUICE_NOT_A_SETTING is ignored: there is no setting 'not-a-setting'");
            assertThat(log).doesNotContain("SLUICE_SERVICE").doesNotContain("SLUICE_PORT");
        }
    }

    @Test
    void keepsStreamsCreatedBeforeSigkill() {
        try (SluiceProcess first = SluiceProcess.start(dataDir);
                FirehoseClient client = first.client()) {
            for (int i = 0; i < 20; i++) {
                String name = "survivor-" + i;
                client.createDeliveryStream(b -> b.deliveryStreamName(name)
                        .extendedS3DestinationConfiguration(s ->
                                s.roleARN("arn:aws:iam::123456789012:role/r").bucketARN("arn:aws:s3:::bucket")));
            }
            first.kill();
        }
        try (SluiceProcess second = SluiceProcess.start(dataDir);
                FirehoseClient client = second.client()) {
            assertThat(client.listDeliveryStreams(b -> b.limit(100)).deliveryStreamNames())
                    .hasSize(20);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.describeDeliveryStream(b -> b.deliveryStreamName("survivor-19"))
                                    .deliveryStreamDescription()
                                    .deliveryStreamStatus()
                            == DeliveryStreamStatus.ACTIVE);
        }
    }
}
