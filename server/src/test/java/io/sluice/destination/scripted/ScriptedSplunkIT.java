package io.sluice.destination.scripted;

import static io.sluice.testing.Scrapes.scrape;
import static io.sluice.testing.Scrapes.streamValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.HECEndpointType;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.SplunkDestinationDescription;
import software.amazon.awssdk.services.firehose.model.SplunkS3BackupMode;

/**
 * A destination type that only this test registers ({@link ScriptedSplunkType}) is created, described,
 * updated, delivered to and reloaded after a restart through the real API with the AWS SDK v2, with
 * nothing of it outside this package but the line that registers it.
 */
class ScriptedSplunkIT {
    private static final String BUCKET = "arn:aws:s3:::splunk-backup";

    private static final MemoryDestination.Sink SINK = new MemoryDestination.Sink();
    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice =
                RunningSluice.start(UnaryOperator.identity(), Clock.systemUTC(), List.of(new ScriptedSplunkType(SINK)));
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
    }

    private static void create(String name) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .splunkDestinationConfiguration(s -> s.hecEndpoint("https://splunk.example:8088")
                        .hecEndpointType(HECEndpointType.RAW)
                        .hecToken("hec-secret")
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN(BUCKET))));
        Streams.awaitActive(firehose, name);
    }

    private static DeliveryStreamDescription describe(String name) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
    }

    private static SplunkDestinationDescription splunk(String name) {
        return describe(name).destinations().get(0).splunkDestinationDescription();
    }

    private static List<String> put(String name, String prefix, int count) {
        List<String> texts =
                IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
        assertThat(firehose.putRecordBatch(b -> b.deliveryStreamName(name)
                                .records(texts.stream()
                                        .map(t -> Record.builder()
                                                .data(SdkBytes.fromUtf8String(t))
                                                .build())
                                        .toList()))
                        .failedPutCount())
                .isZero();
        return texts;
    }

    @Test
    void livesThroughCreateDescribeUpdateDeliveryAndRestart() {
        create("splunk");
        SplunkDestinationDescription created = splunk("splunk");
        assertThat(created.hecEndpoint()).isEqualTo("https://splunk.example:8088");
        assertThat(created.hecEndpointType()).isEqualTo(HECEndpointType.RAW);
        assertThat(created.hecToken()).isNull();
        assertThat(created.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(created.s3BackupMode()).isEqualTo(SplunkS3BackupMode.FAILED_EVENTS_ONLY);
        assertThat(created.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);

        firehose.updateDestination(b -> b.deliveryStreamName("splunk")
                .currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001")
                .splunkDestinationUpdate(u ->
                        u.hecEndpoint("https://splunk-2.example:8088").retryOptions(r -> r.durationInSeconds(60))));
        SplunkDestinationDescription updated = splunk("splunk");
        assertThat(updated.hecEndpoint()).isEqualTo("https://splunk-2.example:8088");
        assertThat(updated.hecEndpointType()).isEqualTo(HECEndpointType.RAW);
        assertThat(updated.retryOptions().durationInSeconds()).isEqualTo(60);
        assertThat(updated.hecToken()).isNull();

        List<String> before = put("splunk", "before", 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> SINK.texts("splunk").size() == 5);
        assertThat(SINK.texts("splunk")).containsExactlyElementsOf(before);
        assertThat(SINK.deliveries()).allSatisfy(d -> assertThat(d.endpoint()).isEqualTo(updated.hecEndpoint()));
        assertThat(streamValue(scrape(sluice.endpoint()), "firehose_DeliveryToSplunk_Records_total", "splunk"))
                .isEqualTo(5);

        sluice.restart();
        firehose.close();
        firehose = sluice.client();
        assertThat(describe("splunk").versionId()).isEqualTo("2");
        assertThat(splunk("splunk")).isEqualTo(updated);
        List<String> after = put("splunk", "after", 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> SINK.texts("splunk").size() == 8);
        assertThat(SINK.texts("splunk")).endsWith(after.toArray(String[]::new));
    }

    @Test
    void refusesWhatTheTypeRefusesInItsWords() {
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("tokenless")
                        .splunkDestinationConfiguration(s -> s.hecEndpoint("https://splunk.example:8088")
                                .hecEndpointType(HECEndpointType.EVENT)
                                .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN(BUCKET)))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("HECToken is required.");
    }

    @Test
    void refusesChangingAnotherTypeIntoItAndListsItAsSupported() {
        Streams.createS3(firehose, "s3-first", "bucket", s -> {});
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("s3-first")
                        .currentDeliveryStreamVersionId("1")
                        .destinationId("destinationId-000000000001")
                        .splunkDestinationUpdate(u -> u.hecToken("t"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Sluice does not support changing an S3 destination into a Splunk destination;"
                        + " create a new delivery stream instead.");
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("redshift")
                        .redshiftDestinationConfiguration(r -> r.roleARN(Streams.ROLE)
                                .clusterJDBCURL(
                                        "jdbc:redshift://cluster.abc123.us-east-1.redshift.amazonaws.com:5439/db")
                                .copyCommand(c -> c.dataTableName("t"))
                                .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN(BUCKET)))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("the supported destinations are ExtendedS3DestinationConfiguration,"
                        + " S3DestinationConfiguration, HttpEndpointDestinationConfiguration,"
                        + " AmazonopensearchserviceDestinationConfiguration, ElasticsearchDestinationConfiguration,"
                        + " AmazonOpenSearchServerlessDestinationConfiguration and SplunkDestinationConfiguration.");
    }
}
