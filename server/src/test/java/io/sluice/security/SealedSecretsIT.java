package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * Destination secrets are sealed in the catalog files: after a create through the API, and after a
 * catalog file of format 1 (an earlier release's, secret in clear) is migrated on start.
 */
class SealedSecretsIT {
    private static final String ACCESS_KEY = "endpoint-access-key-4711";

    private SecuredSluice sluice;

    @BeforeEach
    void start() {
        sluice = SecuredSluice.start();
    }

    @AfterEach
    void stop() {
        sluice.close();
    }

    /** Every catalog file's text, concatenated. */
    private String catalogText() {
        try (Stream<Path> files = Files.walk(sluice.dataDir().resolve("catalog"))) {
            StringBuilder text = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file));
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anHttpEndpointAccessKeyIsNeverInClearInTheCatalog() {
        try (FirehoseClient admin = sluice.client("ADMIN", "admin-secret")) {
            admin.createDeliveryStream(b -> b.deliveryStreamName("sealed")
                    .httpEndpointDestinationConfiguration(h -> h.endpointConfiguration(
                                    e -> e.url("https://receiver.example/in").accessKey(ACCESS_KEY))
                            .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::sealed-backup"))));
            Streams.awaitActive(admin, "sealed");
            assertThat(catalogText()).contains("\"Sealed\":\"1:").doesNotContain(ACCESS_KEY);

            sluice.restart();
        }
        try (FirehoseClient admin = sluice.client("ADMIN", "admin-secret")) {
            assertThat(admin.describeDeliveryStream(b -> b.deliveryStreamName("sealed"))
                            .deliveryStreamDescription()
                            .deliveryStreamStatus()
                            .toString())
                    .isEqualTo("ACTIVE");
            assertThat(catalogText()).doesNotContain(ACCESS_KEY);
        }
    }

    @Test
    void aSplunkHecTokenIsNeverInClearInTheCatalog() {
        String token = "0f3e1c2a-hec-token-4711";
        try (FirehoseClient admin = sluice.client("ADMIN", "admin-secret")) {
            admin.createDeliveryStream(b -> b.deliveryStreamName("splunk-sealed")
                    .splunkDestinationConfiguration(s -> s.hecEndpoint("https://splunk.example:8088")
                            .hecEndpointType("Raw")
                            .hecToken(token)
                            .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::splunk-backup"))));
            Streams.awaitActive(admin, "splunk-sealed");
            assertThat(catalogText()).contains("\"HECToken\":{\"Sealed\":\"1:").doesNotContain(token);
        }
        sluice.restart();
        try (FirehoseClient admin = sluice.client("ADMIN", "admin-secret")) {
            assertThat(admin.describeDeliveryStream(b -> b.deliveryStreamName("splunk-sealed"))
                            .deliveryStreamDescription()
                            .destinations()
                            .get(0)
                            .splunkDestinationDescription()
                            .hecToken())
                    .as("described after a restart, as AWS describes it")
                    .isEqualTo(token);
        }
    }

    @Test
    void aCatalogOfFormatOneIsSealedOnStart() throws Exception {
        Path golden = Path.of(SealedSecretsIT.class
                        .getResource("/io/sluice/catalog/catalog-format-1")
                        .toURI())
                .resolve("000000000000/us-east-1/http-full.json");
        assertThat(Files.readString(golden)).contains("\"AccessKey\":\"secret-key\"");
        sluice.stop();
        Path stored = sluice.dataDir().resolve("catalog/000000000000/us-east-1/http-full.json");
        Files.createDirectories(stored.getParent());
        Files.copy(golden, stored);

        sluice.restart();

        assertThat(Files.readString(stored)).contains("\"FormatVersion\":2").doesNotContain("secret-key");
        try (FirehoseClient legacy = sluice.client("LEGACY", "legacy-secret")) {
            assertThat(legacy.describeDeliveryStream(b -> b.deliveryStreamName("http-full"))
                            .deliveryStreamDescription()
                            .destinations()
                            .get(0)
                            .httpEndpointDestinationDescription()
                            .endpointConfiguration()
                            .url())
                    .isEqualTo("https://receiver.example/firehose?tenant=t1");
        }
        sluice.restart();
        assertThat(Files.readString(stored)).doesNotContain("secret-key");
    }
}
