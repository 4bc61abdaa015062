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
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.SnowflakeDestinationDescription;
import software.amazon.awssdk.services.firehose.model.SnowflakeS3BackupMode;

/**
 * A destination type that only this test registers ({@link ScriptedSnowflakeType}) is created, described,
 * updated, delivered to and reloaded after a restart through the real API with the AWS SDK v2, with
 * nothing of it outside this package but the line that registers it.
 */
class ScriptedSnowflakeIT {
    private static final String BUCKET = "arn:aws:s3:::snowflake-backup";
    private static final String ACCOUNT = "https://acme-eu.snowflakecomputing.com";

    private static final MemoryDestination.Sink SINK = new MemoryDestination.Sink();
    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start(
                UnaryOperator.identity(), Clock.systemUTC(), List.of(new ScriptedSnowflakeType(SINK)));
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
    }

    private static void create(String name) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(name)
                .snowflakeDestinationConfiguration(s -> s.accountUrl(ACCOUNT)
                        .user("firehose")
                        .database("events")
                        .schema("public")
                        .table("clicks")
                        .roleARN(Streams.ROLE)
                        .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN(BUCKET))));
        Streams.awaitActive(firehose, name);
    }

    private static DeliveryStreamDescription describe(String name) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
    }

    private static SnowflakeDestinationDescription snowflake(String name) {
        return describe(name).destinations().get(0).snowflakeDestinationDescription();
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
        create("snowflake");
        SnowflakeDestinationDescription created = snowflake("snowflake");
        assertThat(created.accountUrl()).isEqualTo(ACCOUNT);
        assertThat(created.user()).isEqualTo("firehose");
        assertThat(List.of(created.database(), created.schema(), created.table()))
                .containsExactly("events", "public", "clicks");
        assertThat(created.roleARN()).isEqualTo(Streams.ROLE);
        assertThat(created.bufferingHints().sizeInMBs()).isEqualTo(128);
        assertThat(created.bufferingHints().intervalInSeconds()).isZero();
        assertThat(created.retryOptions().durationInSeconds()).isEqualTo(60);
        assertThat(created.s3BackupMode()).isEqualTo(SnowflakeS3BackupMode.FAILED_DATA_ONLY);
        assertThat(created.s3DestinationDescription().bucketARN()).isEqualTo(BUCKET);

        firehose.updateDestination(b -> b.deliveryStreamName("snowflake")
                .currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001")
                .snowflakeDestinationUpdate(u -> u.accountUrl("https://acme-us.snowflakecomputing.com")
                        .retryOptions(r -> r.durationInSeconds(300))
                        .s3BackupMode(SnowflakeS3BackupMode.ALL_DATA)));
        SnowflakeDestinationDescription updated = snowflake("snowflake");
        assertThat(updated.accountUrl()).isEqualTo("https://acme-us.snowflakecomputing.com");
        assertThat(updated.table()).isEqualTo("clicks");
        assertThat(updated.retryOptions().durationInSeconds()).isEqualTo(300);
        assertThat(updated.s3BackupMode()).isEqualTo(SnowflakeS3BackupMode.ALL_DATA);

        List<String> before = put("snowflake", "before", 5);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> SINK.texts("snowflake").size() == 5);
        assertThat(SINK.texts("snowflake")).containsExactlyElementsOf(before);
        assertThat(SINK.deliveries()).allSatisfy(d -> assertThat(d.accountUrl()).isEqualTo(updated.accountUrl()));
        assertThat(streamValue(scrape(sluice.endpoint()), "firehose_DeliveryToSnowflake_Records_total", "snowflake"))
                .isEqualTo(5);

        sluice.restart();
        firehose.close();
        firehose = sluice.client();
        assertThat(describe("snowflake").versionId()).isEqualTo("2");
        assertThat(snowflake("snowflake")).isEqualTo(updated);
        List<String> after = put("snowflake", "after", 3);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> SINK.texts("snowflake").size() == 8);
        assertThat(SINK.texts("snowflake")).endsWith(after.toArray(String[]::new));
    }

    @Test
    void refusesWhatTheTypeRefusesInItsWords() {
        create("all-data");
        firehose.updateDestination(b -> b.deliveryStreamName("all-data")
                .currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001")
                .snowflakeDestinationUpdate(u -> u.s3BackupMode(SnowflakeS3BackupMode.ALL_DATA)));
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("all-data")
                        .currentDeliveryStreamVersionId("2")
                        .destinationId("destinationId-000000000001")
                        .snowflakeDestinationUpdate(u -> u.s3BackupMode(SnowflakeS3BackupMode.FAILED_DATA_ONLY))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("S3BackupMode cannot be changed from AllData to FailedDataOnly.");
        assertThat(snowflake("all-data").s3BackupMode()).isEqualTo(SnowflakeS3BackupMode.ALL_DATA);
    }

    @Test
    void refusesChangingAnotherTypeIntoItAndListsItAsSupported() {
        Streams.createS3(firehose, "s3-first", "bucket", s -> {});
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("s3-first")
                        .currentDeliveryStreamVersionId("1")
                        .destinationId("destinationId-000000000001")
                        .snowflakeDestinationUpdate(u -> u.table("t"))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Sluice does not support changing an S3 destination into a Snowflake destination;"
                        + " create a new delivery stream instead.");
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName("redshift")
                        .redshiftDestinationConfiguration(r -> r.roleARN(Streams.ROLE)
                                .clusterJDBCURL(
                                        "jdbc:redshift://cluster.abc123.us-east-1.redshift.amazonaws.com:5439/db")
                                .copyCommand(c -> c.dataTableName("t"))
                                .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN(BUCKET)))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "the supported destinations are ExtendedS3DestinationConfiguration,"
                                + " S3DestinationConfiguration, HttpEndpointDestinationConfiguration,"
                                + " AmazonopensearchserviceDestinationConfiguration, ElasticsearchDestinationConfiguration,"
                                + " AmazonOpenSearchServerlessDestinationConfiguration, SplunkDestinationConfiguration and SnowflakeDestinationConfiguration.");
    }
}
