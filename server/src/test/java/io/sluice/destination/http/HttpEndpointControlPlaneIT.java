package io.sluice.destination.http;

import static io.sluice.testing.Streams.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.server.SluiceConfig;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationDescription;
import software.amazon.awssdk.services.firehose.model.HttpEndpointS3BackupMode;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;

/** HttpEndpointDestinationConfiguration through Create, Describe and UpdateDestination, with AWS's rules. */
class HttpEndpointControlPlaneIT {
    private static final String BUCKET = "arn:aws:s3:::http-backup";

    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start();
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
    }

    private static HttpEndpointDestinationConfiguration.Builder config(String url) {
        return HttpEndpointDestinationConfiguration.builder()
                .endpointConfiguration(e -> e.url(url).name("receiver").accessKey("very-secret"))
                .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN(BUCKET));
    }

    private static void create(String name, Consumer<HttpEndpointDestinationConfiguration.Builder> more) {
        HttpEndpointDestinationConfiguration.Builder config = config("https://receiver.example/in");
        more.accept(config);
        firehose.createDeliveryStream(
                b -> b.deliveryStreamName(name).httpEndpointDestinationConfiguration(config.build()));
    }

    private static HttpEndpointDestinationDescription describe(String name) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(name))
                .deliveryStreamDescription()
                .destinations()
                .get(0)
                .httpEndpointDestinationDescription();
    }

    @Test
    void describesWithAwsDefaultsAndNeverTheAccessKey() throws Exception {
        create("described", h -> {});
        awaitActive(firehose, "described");
        HttpEndpointDestinationDescription d = describe("described");
        assertThat(d.endpointConfiguration().url()).isEqualTo("https://receiver.example/in");
        assertThat(d.endpointConfiguration().name()).isEqualTo("receiver");
        assertThat(d.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(d.bufferingHints().intervalInSeconds()).isEqualTo(300);
        assertThat(d.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(d.s3BackupMode()).isEqualTo(HttpEndpointS3BackupMode.FAILED_DATA_ONLY);
        assertThat(d.requestConfiguration().contentEncodingAsString()).isEqualTo("NONE");
        assertThat(d.cloudWatchLoggingOptions().enabled()).isFalse();
        assertThat(d.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);
        assertThat(d.s3DestinationDescription().bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(d.toString()).doesNotContain("very-secret");
        var raw = firehose.describeDeliveryStream(b -> b.deliveryStreamName("described"));
        assertThat(raw.sdkHttpResponse().toString()).doesNotContain("very-secret");
        try (var files = Files.walk(sluice.dataDir().resolve("catalog"))) {
            assertThat(files.filter(Files::isRegularFile).map(HttpEndpointControlPlaneIT::read))
                    .anySatisfy(text -> assertThat(text)
                            .contains("\"AccessKey\":{\"Sealed\":\"1:")
                            .doesNotContain("very-secret"));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void updatesMergeMemberByMemberAndKeepTheAccessKey() {
        create(
                "updated",
                h -> h.retryOptions(r -> r.durationInSeconds(60))
                        .requestConfiguration(r -> r.contentEncoding("GZIP")
                                .commonAttributes(a -> a.attributeName("a").attributeValue("1"))));
        awaitActive(firehose, "updated");
        firehose.updateDestination(b -> b.deliveryStreamName("updated")
                .currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001")
                .httpEndpointDestinationUpdate(u -> u.endpointConfiguration(e -> e.url("https://other.example/"))
                        .bufferingHints(h -> h.sizeInMBs(2).intervalInSeconds(0))
                        .s3Update(s -> s.prefix("failed/"))));
        HttpEndpointDestinationDescription d = describe("updated");
        assertThat(d.endpointConfiguration().url()).isEqualTo("https://other.example/");
        assertThat(d.endpointConfiguration().name()).isEqualTo("receiver");
        assertThat(d.bufferingHints().sizeInMBs()).isEqualTo(2);
        assertThat(d.bufferingHints().intervalInSeconds()).isZero();
        assertThat(d.retryOptions().durationInSeconds()).isEqualTo(60);
        assertThat(d.requestConfiguration().contentEncodingAsString()).isEqualTo("GZIP");
        assertThat(d.requestConfiguration().commonAttributes()).hasSize(1);
        assertThat(d.s3DestinationDescription().prefix()).isEqualTo("failed/");
        assertThat(d.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);
        try (var files = Files.walk(sluice.dataDir().resolve("catalog"))) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(HttpEndpointControlPlaneIT::read)
                            .filter(t -> t.contains("other.example")))
                    .singleElement()
                    .satisfies(text -> assertThat(text)
                            .contains("\"AccessKey\":{\"Sealed\":\"1:")
                            .doesNotContain("very-secret"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void rejectsPlainHttpUrlsWithAwsValidationErrorUnlessAllowed() {
        assertThatThrownBy(() -> create("plain", h -> h.endpointConfiguration(e -> e.url("http://receiver.example/"))))
                .isInstanceOf(FirehoseException.class)
                .satisfies(e -> assertThat(
                                ((FirehoseException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"))
                .hasMessageContaining("1 validation error detected: Value at"
                        + " 'httpEndpointDestinationConfiguration.endpointConfiguration.url' failed to satisfy"
                        + " constraint: Member must satisfy regular expression pattern: https://.*");

        try (RunningSluice allowing = RunningSluice.start(c -> c.withDelivery(c.delivery()
                        .withHttpEndpoint(new SluiceConfig.HttpEndpointSettings(
                                true, Optional.empty(), Duration.ofMinutes(3), Duration.ofMinutes(2)))));
                FirehoseClient client = allowing.client()) {
            client.createDeliveryStream(b -> b.deliveryStreamName("plain")
                    .httpEndpointDestinationConfiguration(
                            config("http://receiver.example/").build()));
            awaitActive(client, "plain");
        }
    }

    @Test
    void rejectsFeaturesThatWouldDoNothing() {
        assertThatThrownBy(() -> create(
                        "logging",
                        h -> h.cloudWatchLoggingOptions(
                                c -> c.enabled(true).logGroupName("g").logStreamName("s"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("CloudWatch");
        assertThatThrownBy(() -> create(
                        "delimiter",
                        h -> h.processingConfiguration(
                                p -> p.enabled(true).processors(pr -> pr.type("AppendDelimiterToRecord")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Processor type AppendDelimiterToRecord is not supported by Sluice for HTTP"
                        + " endpoint destinations");
        assertThatThrownBy(() -> create(
                        "secrets",
                        h -> h.secretsManagerConfiguration(s ->
                                s.enabled(true).secretARN("arn:aws:secretsmanager:us-east-1:123456789012:secret:s"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("SecretsManagerConfiguration");
        assertThatThrownBy(() -> create(
                        "repeated",
                        h -> h.requestConfiguration(r -> r.commonAttributes(
                                a -> a.attributeName("x").attributeValue("1"),
                                a -> a.attributeName("x").attributeValue("2")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("unique");
    }
}
