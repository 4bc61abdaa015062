package io.sluice.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.testing.MotoServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The source's {@code RoleARN} assumed through STS (moto's) to read a stream (moto's Kinesis) of the role's
 * account: moto gives an assumed role's session the role's account, so the stream, created in another account
 * than Sluice's own keys', is found only if Sluice reads as the role.
 */
class KinesisAssumeRoleIT {
    private static final String ACCOUNT = "222233334444";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/firehose-source";
    private static final String STREAM = "other-account";

    /** moto's Kinesis speaks JSON only: the SDK's clients (Sluice's too, in this JVM) are told not to use CBOR. */
    @Test
    void readsTheStreamAsTheSourcesRole() throws Exception {
        MotoServer.assumeAvailable();
        System.setProperty("aws.cborEnabled", "false");
        try (MotoServer moto = MotoServer.start();
                KinesisClient kinesis = asRole(moto)) {
            kinesis.createStream(b -> b.streamName(STREAM).shardCount(1));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> kinesis.describeStreamSummary(b -> b.streamName(STREAM))
                                    .streamDescriptionSummary()
                                    .streamStatus()
                            == StreamStatus.ACTIVE);
            KinesisConfig config = new KinesisConfig(
                    Optional.of(moto.endpoint()),
                    Optional.empty(),
                    Optional.of(AccessKeys.of(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)),
                    new RoleAssumption(RoleAssumption.Mode.ALWAYS, Optional.of(moto.endpoint())),
                    Duration.ofMillis(100),
                    KinesisConfig.MAX_RECORDS_PER_CALL,
                    KinesisConfig.DEFAULT_BATCHES_IN_FLIGHT);
            try (RunningSluice sluice =
                            RunningSluice.start(c -> c.withDelivery(c.delivery().withKinesis(config)));
                    FirehoseClient firehose = sluice.client()) {
                firehose.createDeliveryStream(b -> b.deliveryStreamName(STREAM)
                        .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                        .kinesisStreamSourceConfiguration(
                                k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/" + STREAM)
                                        .roleARN(ROLE))
                        .extendedS3DestinationConfiguration(s3 -> s3.roleARN(Streams.ROLE)
                                .bucketARN("arn:aws:s3:::" + STREAM)
                                .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))));
                Streams.awaitActive(firehose, STREAM);
                Thread.sleep(1_000);
                kinesis.putRecord(
                        b -> b.streamName(STREAM).partitionKey("k").data(SdkBytes.fromUtf8String("read as the role")));

                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                !Streams.localObjects(sluice.dataDir(), STREAM).isEmpty());
                assertThat(Files.readString(
                                Streams.localObjects(sluice.dataDir(), STREAM).getFirst(), StandardCharsets.UTF_8))
                        .isEqualTo("read as the role");
            }
        } finally {
            System.clearProperty("aws.cborEnabled");
        }
    }

    /** A Kinesis client acting as {@link #ROLE}, assumed through moto's STS. */
    private static KinesisClient asRole(MotoServer moto) {
        Credentials session;
        try (StsClient sts = StsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .build()) {
            session = sts.assumeRole(b -> b.roleArn(ROLE).roleSessionName("producer"))
                    .credentials();
        }
        return KinesisClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
                .build();
    }
}
