package io.sluice.destination.splunk;

import static io.sluice.testing.Streams.awaitActive;
import static io.sluice.testing.Streams.localObjects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.server.SluiceConfig;
import io.sluice.testing.HecReceiver;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import io.sluice.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * A collector behind a certificate of a private CA: Sluice delivers to it once {@code splunk-ca-bundle}
 * names that CA, and without it gives up on the TLS handshake with {@code Splunk.SSLHandshake}.
 */
class SplunkTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** {@link SplunkDeliveryIT}'s quick retries, trusting {@code caBundle} for collectors besides the JVM's CAs. */
    private static SluiceConfig trusting(SluiceConfig config, Optional<Path> caBundle) {
        SluiceConfig quick = SplunkDeliveryIT.fastRetries(config);
        return quick.withDelivery(quick.delivery()
                .withSplunk(new SluiceConfig.SplunkSettings(caBundle, Duration.ofSeconds(2), Duration.ofSeconds(2))));
    }

    private static void createAndPut(FirehoseClient firehose, HecReceiver receiver, String bucket, String line) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName("secure")
                .splunkDestinationConfiguration(
                        s -> s.hecEndpoint(receiver.url().toString())
                                .hecEndpointType("Raw")
                                .hecToken(TOKEN)
                                .retryOptions(r -> r.durationInSeconds(1))
                                .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                                .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::" + bucket))));
        awaitActive(firehose, "secure");
        firehose.putRecord(b -> b.deliveryStreamName("secure").record(r -> r.data(SdkBytes.fromUtf8String(line))));
    }

    @Test
    void trustsTheCollectorsPrivateCaOnlyFromTheBundle() throws Exception {
        TestCa ca = TestCa.create(dir);
        try (HecReceiver receiver = HecReceiver.startHttps(ca.serverContext("splunk"))) {
            receiver.addToken(TOKEN);
            assertThat(receiver.url().getScheme()).isEqualTo("https");

            try (RunningSluice trusting = RunningSluice.start(c -> trusting(c, Optional.of(ca.certificate())));
                    FirehoseClient firehose = trusting.client()) {
                createAndPut(firehose, receiver, "trusted", "over tls\n");
                await().atMost(WAIT).until(() -> receiver.acknowledgedEvents().contains("over tls"));
                assertThat(localObjects(trusting.dataDir(), "trusted")).isEmpty();
            }

            try (RunningSluice untrusting = RunningSluice.start(c -> trusting(c, Optional.empty()));
                    FirehoseClient firehose = untrusting.client()) {
                createAndPut(firehose, receiver, "untrusted", "refused\n");
                await().atMost(WAIT)
                        .until(() ->
                                !localObjects(untrusting.dataDir(), "untrusted").isEmpty());
                List<Path> objects = localObjects(untrusting.dataDir(), "untrusted");
                assertThat(Streams.key(untrusting.dataDir(), "untrusted", objects.get(0)))
                        .startsWith("splunk-failed/");
                var document = JSON.readTree(Files.readString(objects.get(0), UTF_8)
                        .lines()
                        .findFirst()
                        .orElseThrow());
                assertThat(document.get("errorCode").asText()).isEqualTo("Splunk.SSLHandshake");
                assertThat(receiver.acknowledgedEvents()).doesNotContain("refused");
            }
        }
    }
}
