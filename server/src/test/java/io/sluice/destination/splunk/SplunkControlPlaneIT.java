package io.sluice.destination.splunk;

import static io.sluice.testing.Streams.awaitActive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.InvalidSourceException;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.SplunkDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.SplunkDestinationDescription;
import software.amazon.awssdk.services.firehose.model.SplunkDestinationUpdate;
import software.amazon.awssdk.services.firehose.model.SplunkS3BackupMode;

/** SplunkDestinationConfiguration through Create, Describe and UpdateDestination, with AWS's rules. */
class SplunkControlPlaneIT {
    private static final String BUCKET = "arn:aws:s3:::splunk-backup";
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:to-hec:$LATEST";

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

    private static SplunkDestinationConfiguration.Builder config() {
        return SplunkDestinationConfiguration.builder()
                .hecEndpoint("https://splunk.example:8088")
                .hecEndpointType("Raw")
                .hecToken("0f1e2d3c-hec-token")
                .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN(BUCKET));
    }

    private static void create(String name, Consumer<SplunkDestinationConfiguration.Builder> more) {
        SplunkDestinationConfiguration.Builder config = config();
        more.accept(config);
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name).splunkDestinationConfiguration(config.build()));
        awaitActive(firehose, name);
    }

    private static DeliveryStreamDescription stream(String name) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
    }

    private static SplunkDestinationDescription describe(String name) {
        return stream(name).destinations().get(0).splunkDestinationDescription();
    }

    private static void update(String name, String version, Consumer<SplunkDestinationUpdate.Builder> update) {
        firehose.updateDestination(b -> b.deliveryStreamName(name)
                .currentDeliveryStreamVersionId(version)
                .destinationId("destinationId-000000000001")
                .splunkDestinationUpdate(update));
    }

    @Test
    void describesWithAwsDefaultsAndTheToken() {
        create("described", c -> {});
        SplunkDestinationDescription d = describe("described");
        assertThat(d.hecEndpoint()).isEqualTo("https://splunk.example:8088");
        assertThat(d.hecEndpointTypeAsString()).isEqualTo("Raw");
        assertThat(d.hecToken()).isEqualTo("0f1e2d3c-hec-token");
        assertThat(d.hecAcknowledgmentTimeoutInSeconds()).isEqualTo(180);
        assertThat(d.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(d.s3BackupMode()).isEqualTo(SplunkS3BackupMode.FAILED_EVENTS_ONLY);
        assertThat(d.bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(d.bufferingHints().intervalInSeconds()).isEqualTo(60);
        assertThat(d.cloudWatchLoggingOptions().enabled()).isFalse();
        assertThat(d.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);
        assertThat(d.s3DestinationDescription().bufferingHints().sizeInMBs()).isEqualTo(5);
        assertThat(d.processingConfiguration()).isNull();
        assertThat(stream("described").deliveryStreamTypeAsString()).isEqualTo("DirectPut");
    }

    @Test
    void describesTheLambdaProcessorWithSplunksBufferAndTheS3Role() {
        create(
                "lambda",
                c -> c.processingConfiguration(p -> p.enabled(true)
                        .processors(r -> r.type("Lambda")
                                .parameters(ProcessorParameter.builder()
                                        .parameterName("LambdaArn")
                                        .parameterValue(FUNCTION)
                                        .build()))));
        assertThat(describe("lambda")
                        .processingConfiguration()
                        .processors()
                        .get(0)
                        .parameters())
                .extracting(ProcessorParameter::parameterNameAsString, ProcessorParameter::parameterValue)
                .containsExactly(
                        tuple("LambdaArn", FUNCTION),
                        tuple("NumberOfRetries", "3"),
                        tuple("RoleArn", Streams.ROLE),
                        tuple("BufferSizeInMBs", "0.25"),
                        tuple("BufferIntervalInSeconds", "60"));
    }

    @Test
    void updatesMergeMemberByMemberAndBackupModeOnlyGrows() {
        create(
                "updated",
                c -> c.hecAcknowledgmentTimeoutInSeconds(300)
                        .retryOptions(r -> r.durationInSeconds(60))
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(10)));
        update("updated", "1", u -> u.hecEndpoint("https://other.example:8088/").s3Update(s -> s.prefix("failed/")));
        SplunkDestinationDescription d = describe("updated");
        assertThat(d.hecEndpoint()).isEqualTo("https://other.example:8088/");
        assertThat(d.hecToken()).isEqualTo("0f1e2d3c-hec-token");
        assertThat(d.hecAcknowledgmentTimeoutInSeconds()).isEqualTo(300);
        assertThat(d.retryOptions().durationInSeconds()).isEqualTo(60);
        assertThat(d.bufferingHints().sizeInMBs()).isEqualTo(1);
        assertThat(d.s3DestinationDescription().prefix()).isEqualTo("failed/");
        assertThat(d.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);
        assertThat(stream("updated").versionId()).isEqualTo("2");

        update("updated", "2", u -> u.s3BackupMode(SplunkS3BackupMode.ALL_EVENTS));
        assertThat(describe("updated").s3BackupMode()).isEqualTo(SplunkS3BackupMode.ALL_EVENTS);
        assertThatThrownBy(() -> update("updated", "3", u -> u.s3BackupMode(SplunkS3BackupMode.FAILED_EVENTS_ONLY)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("S3BackupMode cannot be changed from AllEvents to FailedEventsOnly");
    }

    @Test
    void changesAnotherDestinationIntoSplunkOnlyWhenTheUpdateSaysEverything() {
        Streams.createS3(firehose, "converted", "splunk-backup", b -> {});
        assertThatThrownBy(() -> update(
                        "converted",
                        "1",
                        u -> u.hecEndpoint("https://splunk.example:8088")
                                .hecToken("t")
                                .s3Update(s -> s.roleARN(Streams.ROLE).bucketARN(BUCKET))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("HECEndpointType is required when changing the destination to Splunk");
        assertThatThrownBy(() -> update(
                        "converted",
                        "1",
                        u -> u.hecEndpoint("https://splunk.example:8088")
                                .hecEndpointType("Event")
                                .hecToken("t")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("S3Update with RoleARN and BucketARN is required");
        update(
                "converted",
                "1",
                u -> u.hecEndpoint("https://splunk.example:8088")
                        .hecEndpointType("Event")
                        .hecToken("t")
                        .s3Update(s -> s.roleARN(Streams.ROLE).bucketARN(BUCKET)));
        SplunkDestinationDescription d = describe("converted");
        assertThat(d.hecEndpointTypeAsString()).isEqualTo("Event");
        assertThat(d.hecAcknowledgmentTimeoutInSeconds()).isEqualTo(180);
    }

    @Test
    void rejectsWhatTheModelRejectsWithValidationErrors() {
        assertValidationError(
                () -> create("short-ack", c -> c.hecAcknowledgmentTimeoutInSeconds(179)),
                "'splunkDestinationConfiguration.hECAcknowledgmentTimeoutInSeconds'");
        assertValidationError(
                () -> create(
                        "big-buffer", c -> c.bufferingHints(h -> h.sizeInMBs(6).intervalInSeconds(60))),
                "'splunkDestinationConfiguration.bufferingHints.sizeInMBs'");
        assertValidationError(
                () -> create("long-retry", c -> c.retryOptions(r -> r.durationInSeconds(7201))),
                "'splunkDestinationConfiguration.retryOptions.durationInSeconds'");
        assertValidationError(
                () -> create("bad-type", c -> c.hecEndpointType("Json")),
                "'splunkDestinationConfiguration.hECEndpointType'");
    }

    private static void assertValidationError(Runnable call, String member) {
        assertThatThrownBy(call::run)
                .isInstanceOf(FirehoseException.class)
                .satisfies(e -> assertThat(
                                ((FirehoseException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"))
                .hasMessageContaining(member);
    }

    @Test
    void rejectsWhatSluiceCannotHonourInWords() {
        assertThatThrownBy(() -> create("half-hints", c -> c.bufferingHints(h -> h.sizeInMBs(2))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("BufferingHints must specify both");
        assertThatThrownBy(() -> create(
                        "secrets",
                        c -> c.hecToken(null)
                                .secretsManagerConfiguration(s -> s.enabled(true)
                                        .secretARN("arn:aws:secretsmanager:us-east-1:123456789012:secret:hec"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("SecretsManagerConfiguration is not supported by Sluice");
        assertThatThrownBy(() -> create("tokenless", c -> c.hecToken(null)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("HECToken is required");
        assertThatThrownBy(() -> create("not-a-url", c -> c.hecEndpoint("splunk.example:8088")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("HECEndpoint");
        assertThatThrownBy(() -> create("logging", c -> c.cloudWatchLoggingOptions(l -> l.enabled(true))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("CloudWatch Logs error logging is not supported");
        assertThatThrownBy(() -> create(
                        "deaggregation",
                        c -> c.processingConfiguration(p -> p.enabled(true)
                                .processors(r -> r.type("RecordDeAggregation")
                                        .parameters(ProcessorParameter.builder()
                                                .parameterName("SubRecordType")
                                                .parameterValue("JSON")
                                                .build())))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(firehose.listDeliveryStreams(b -> b.limit(100)).deliveryStreamNames())
                .doesNotContainAnyElementsOf(List.of("half-hints", "secrets", "tokenless", "not-a-url", "logging"));
    }

    @Test
    void aStreamThatDecompressesTakesOnlyCloudWatchLogsPayloads() {
        create(
                "logs",
                c -> c.processingConfiguration(p -> p.enabled(true)
                        .processors(
                                r -> r.type("Decompression"),
                                r -> r.type("CloudWatchLogProcessing")
                                        .parameters(ProcessorParameter.builder()
                                                .parameterName("DataMessageExtraction")
                                                .parameterValue("true")
                                                .build()))));
        assertThatThrownBy(() -> firehose.putRecord(
                        b -> b.deliveryStreamName("logs").record(r -> r.data(SdkBytes.fromUtf8String("plain")))))
                .isInstanceOf(InvalidSourceException.class);
    }
}
