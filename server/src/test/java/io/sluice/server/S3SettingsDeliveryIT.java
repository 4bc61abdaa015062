package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.destination.s3.S3ProxyServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code s3-bucket.*} and {@code s3-role.*} settings end to end, against s3proxy: a bucket's own
 * endpoint is written to while the default one is unreachable, and a stream's {@code RoleARN} signs
 * with the credentials mapped to it while the default ones are wrong. Without the setting under test
 * neither stream could deliver.
 */
class S3SettingsDeliveryIT {
    /** Nothing listens on port 1 of the loopback: connections are refused. */
    private static final String UNREACHABLE = "http://127.0.0.1:1";

    @TempDir
    Path dir;

    @Test
    void deliversToTheBucketsOwnEndpointWhileTheDefaultIsUnreachable() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            Path file = dir.resolve("sluice.properties");
            Files.writeString(file, """
                    s3-endpoint = %s
                    s3-access-key = nobody
                    s3-secret-key = nothing
                    s3-bucket.routed.endpoint = %s
                    s3-bucket.routed.access-key = %s
                    s3-bucket.routed.secret-key = %s
                    """.formatted(
                            UNREACHABLE, s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));

            assertDeliversOneRecord(SluiceConfig.settings(file, Map.of(), Map.of()), s3, "routed");
        }
    }

    @Test
    void signsWithTheCredentialsMappedToTheStreamsRole() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start()) {
            Settings settings = SluiceConfig.settings(
                    null,
                    Map.of(),
                    Map.of(
                            "s3-endpoint", s3.endpoint().toString(),
                            "s3-access-key", S3ProxyServer.ACCESS_KEY,
                            "s3-secret-key", "not-the-secret",
                            "s3-role.delivery.arn", Streams.ROLE,
                            "s3-role.delivery.access-key", S3ProxyServer.ACCESS_KEY,
                            "s3-role.delivery.secret-key", S3ProxyServer.SECRET_KEY));

            assertDeliversOneRecord(settings, s3, "by-role");
        }
    }

    /** A stream of {@link Streams#ROLE} to {@code bucket} on {@code s3} delivers a record, with {@code settings}. */
    private static void assertDeliversOneRecord(Settings settings, S3ProxyServer s3, String bucket) {
        SluiceConfig.DeliverySettings delivery = SluiceConfig.from(settings).delivery();
        try (S3Client reader = s3.client();
                RunningSluice sluice = RunningSluice.start(config -> config.withDelivery(delivery));
                FirehoseClient firehose = sluice.client()) {
            reader.createBucket(b -> b.bucket(bucket));
            Streams.createS3(
                    firehose,
                    bucket,
                    bucket,
                    s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            Streams.put(firehose, bucket, "a record for " + bucket);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(Streams.objectsText(reader, bucket)).isEqualTo("a record for " + bucket));
        }
    }
}
