package io.sluice.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Connectivity;
import software.amazon.awssdk.services.firehose.model.CreateDeliveryStreamRequest;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.KeyType;
import software.amazon.awssdk.services.firehose.model.S3BackupMode;

/**
 * Streams of type KinesisStreamAsSource and MSKAsSource through the API: created, described with their
 * {@code Source}, kept across a restart, and refused what AWS refuses them (puts, server-side encryption).
 * Their reading is tested per source ({@code source.kinesis}, {@code source.kafka}).
 */
class SourceStreamsControlPlaneIT {
    private static final String ROLE = "arn:aws:iam::123456789012:role/firehose";
    private static final String KINESIS_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/clicks";
    private static final String MSK_ARN = "arn:aws:kafka:us-east-1:123456789012:cluster/events/0b1c2d3e-4f5a";

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

    @Test
    void describesAKinesisSourcedStreamWithItsSourceAndNoEncryption() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        create("from-kinesis", kinesis());

        DeliveryStreamDescription description = awaitActive("from-kinesis");

        assertThat(description.deliveryStreamType()).isEqualTo(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE);
        assertThat(description.source().kinesisStreamSourceDescription().kinesisStreamARN())
                .isEqualTo(KINESIS_ARN);
        assertThat(description.source().kinesisStreamSourceDescription().roleARN())
                .isEqualTo(ROLE);
        assertThat(description.source().kinesisStreamSourceDescription().deliveryStartTimestamp())
                .isBetween(before, Instant.now());
        assertThat(description.source().directPutSourceDescription()).isNull();
        assertThat(description.deliveryStreamEncryptionConfiguration()).isNull();
    }

    @Test
    void describesAnMskSourcedStreamWithItsReadFromTimestamp() {
        Instant readFrom = Instant.parse("2026-01-02T03:04:05.678Z");
        create(
                "from-msk",
                b -> b.deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                        .mskSourceConfiguration(m -> m.mskClusterARN(MSK_ARN)
                                .topicName("orders.v1")
                                .readFromTimestamp(readFrom)
                                .authenticationConfiguration(
                                        a -> a.roleARN(ROLE).connectivity(Connectivity.PRIVATE))));

        var msk = awaitActive("from-msk").source().mskSourceDescription();

        assertThat(msk.mskClusterARN()).isEqualTo(MSK_ARN);
        assertThat(msk.topicName()).isEqualTo("orders.v1");
        assertThat(msk.authenticationConfiguration().roleARN()).isEqualTo(ROLE);
        assertThat(msk.authenticationConfiguration().connectivity()).isEqualTo(Connectivity.PRIVATE);
        assertThat(msk.readFromTimestamp()).isEqualTo(readFrom);
        assertThat(msk.deliveryStartTimestamp()).isNotNull();
    }

    @Test
    void keepsTheSourceAcrossARestart() {
        create("kept-source", kinesis());
        Instant started = awaitActive("kept-source")
                .source()
                .kinesisStreamSourceDescription()
                .deliveryStartTimestamp();

        sluice.restart();
        firehose.close();
        firehose = sluice.client();

        var kinesis = describe("kept-source").source().kinesisStreamSourceDescription();
        assertThat(kinesis.kinesisStreamARN()).isEqualTo(KINESIS_ARN);
        assertThat(kinesis.deliveryStartTimestamp()).isEqualTo(started);
    }

    @Test
    void refusesPutsWithAwsMessage() {
        create("no-puts", kinesis());
        awaitActive("no-puts");

        assertThatThrownBy(() -> firehose.putRecord(
                        b -> b.deliveryStreamName("no-puts").record(r -> r.data(SdkBytes.fromUtf8String("x")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith(
                        "This operation is not permitted on KinesisStreamAsSource delivery stream type.");
        assertThatThrownBy(() -> firehose.putRecordBatch(
                        b -> b.deliveryStreamName("no-puts").records(r -> r.data(SdkBytes.fromUtf8String("x")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith(
                        "This operation is not permitted on KinesisStreamAsSource delivery stream type.");
    }

    @Test
    void refusesServerSideEncryptionOfAStreamReadingASource() {
        assertThatThrownBy(() -> create(
                        "encrypted-source",
                        kinesis()
                                .andThen(b -> b.deliveryStreamEncryptionConfigurationInput(
                                        e -> e.keyType(KeyType.AWS_OWNED_CMK)))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("supported only for DirectPut");
        create("later-encrypted", kinesis());
        awaitActive("later-encrypted");
        assertThatThrownBy(() -> firehose.startDeliveryStreamEncryption(b -> b.deliveryStreamName("later-encrypted")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("supported only for DirectPut");
        assertThatThrownBy(() -> firehose.stopDeliveryStreamEncryption(b -> b.deliveryStreamName("later-encrypted")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("supported only for DirectPut");
    }

    @Test
    void refusesAnS3BackupOfEveryRecordForAnMskSourcedStreamOnly() {
        Consumer<CreateDeliveryStreamRequest.Builder> backedUp =
                b -> b.extendedS3DestinationConfiguration(ExtendedS3DestinationConfiguration.builder()
                        .roleARN(ROLE)
                        .bucketARN("arn:aws:s3:::sluice-bucket")
                        .s3BackupMode(S3BackupMode.ENABLED)
                        .s3BackupConfiguration(c -> c.roleARN(ROLE).bucketARN("arn:aws:s3:::backups"))
                        .build());

        assertThatThrownBy(() -> create("msk-backed-up", msk().andThen(backedUp)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(
                        "S3 backup of all records is not supported for delivery streams of type" + " MSKAsSource");
        create("kinesis-backed-up", kinesis().andThen(backedUp));
        assertThat(awaitActive("kinesis-backed-up").deliveryStreamType())
                .isEqualTo(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE);

        create("msk-later-backed-up", msk());
        DeliveryStreamDescription msk = awaitActive("msk-later-backed-up");
        assertThatThrownBy(() -> firehose.updateDestination(b -> b.deliveryStreamName("msk-later-backed-up")
                        .currentDeliveryStreamVersionId(msk.versionId())
                        .destinationId(msk.destinations().get(0).destinationId())
                        .extendedS3DestinationUpdate(u -> u.s3BackupMode(S3BackupMode.ENABLED)
                                .s3BackupUpdate(c -> c.roleARN(ROLE).bucketARN("arn:aws:s3:::backups")))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("MSKAsSource");
    }

    @Test
    void refusesASourceConfigurationOfAnotherTypeOrNone() {
        assertThatThrownBy(() -> create(
                        "mismatch",
                        b -> b.deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                                .kinesisStreamSourceConfiguration(
                                        k -> k.kinesisStreamARN(KINESIS_ARN).roleARN(ROLE))))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("KinesisStreamSourceConfiguration can only be specified");
        assertThatThrownBy(
                        () -> create("missing", b -> b.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("requires its source configuration");
    }

    @Test
    void refusesAStreamArnOutsideTheModelsPattern() {
        assertThatThrownBy(() -> create(
                        "bad-arn",
                        b -> b.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                                .kinesisStreamSourceConfiguration(
                                        k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:123:stream/x")
                                                .roleARN(ROLE))))
                .isInstanceOfSatisfying(
                        FirehoseException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"))
                .hasMessageContaining("at 'kinesisStreamSourceConfiguration.kinesisStreamARN' failed to satisfy"
                        + " constraint: Member must satisfy regular expression pattern");
    }

    @Test
    void refusesDatabaseSourcesAsNotSupported() {
        ExternalCommand.assumeAvailable("aws", "--version");
        ExternalCommand.Result result = ExternalCommand.aws(
                sluice.endpoint().toString(),
                "firehose",
                "create-delivery-stream",
                "--delivery-stream-name",
                "from-database",
                "--delivery-stream-type",
                "DatabaseAsSource",
                "--database-source-configuration",
                "{\"Type\":\"MySQL\",\"Endpoint\":\"db.example.com\",\"Port\":3306,"
                        + "\"Databases\":{\"Include\":[\"shop\"]},\"Tables\":{\"Include\":[\"shop.orders\"]},"
                        + "\"SnapshotWatermarkTable\":\"shop.watermark\","
                        + "\"DatabaseSourceAuthenticationConfiguration\":{\"SecretsManagerConfiguration\":"
                        + "{\"Enabled\":false}},"
                        + "\"DatabaseSourceVPCConfiguration\":{\"VpcEndpointServiceName\":"
                        + "\"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0\"}}",
                "--extended-s3-destination-configuration",
                "RoleARN=" + ROLE + ",BucketARN=arn:aws:s3:::b");

        assertThat(result.exitCode()).as(result.stderr()).isNotZero();
        assertThat(result.stderr())
                .contains("InvalidArgumentException")
                .contains("does not support delivery streams of type DatabaseAsSource");
    }

    @Test
    void createsAKinesisSourcedStreamWithTheAwsCli() {
        ExternalCommand.assumeAvailable("aws", "--version");
        ExternalCommand.Result result = ExternalCommand.aws(
                sluice.endpoint().toString(),
                "firehose",
                "create-delivery-stream",
                "--delivery-stream-name",
                "cli-kinesis",
                "--delivery-stream-type",
                "KinesisStreamAsSource",
                "--kinesis-stream-source-configuration",
                "KinesisStreamARN=" + KINESIS_ARN + ",RoleARN=" + ROLE,
                "--extended-s3-destination-configuration",
                "RoleARN=" + ROLE + ",BucketARN=arn:aws:s3:::b");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(awaitActive("cli-kinesis")
                        .source()
                        .kinesisStreamSourceDescription()
                        .kinesisStreamARN())
                .isEqualTo(KINESIS_ARN);
        assertThat(firehose.listDeliveryStreams(b -> b.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE))
                        .deliveryStreamNames())
                .contains("cli-kinesis")
                .doesNotContain("from-msk");
    }

    private static Consumer<CreateDeliveryStreamRequest.Builder> msk() {
        return b -> b.deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                .mskSourceConfiguration(m -> m.mskClusterARN(MSK_ARN)
                        .topicName("orders")
                        .authenticationConfiguration(a -> a.roleARN(ROLE).connectivity(Connectivity.PRIVATE)));
    }

    private static Consumer<CreateDeliveryStreamRequest.Builder> kinesis() {
        return b -> b.deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(
                        k -> k.kinesisStreamARN(KINESIS_ARN).roleARN(ROLE));
    }

    private static void create(String name, Consumer<CreateDeliveryStreamRequest.Builder> extra) {
        CreateDeliveryStreamRequest.Builder request = CreateDeliveryStreamRequest.builder()
                .deliveryStreamName(name)
                .extendedS3DestinationConfiguration(ExtendedS3DestinationConfiguration.builder()
                        .roleARN(ROLE)
                        .bucketARN("arn:aws:s3:::sluice-bucket")
                        .build());
        extra.accept(request);
        firehose.createDeliveryStream(request.build());
    }

    private static DeliveryStreamDescription describe(String name) {
        return firehose.describeDeliveryStream(b -> b.deliveryStreamName(name)).deliveryStreamDescription();
    }

    private static DeliveryStreamDescription awaitActive(String name) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> describe(name).deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE);
        return describe(name);
    }
}
