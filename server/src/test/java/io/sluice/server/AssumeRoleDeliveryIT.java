package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.MotoServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Scrapes;
import io.sluice.testing.Streams;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * {@code s3-assume-role} against moto's STS and S3: the bucket belongs to the account of the stream's
 * role (111111111111), not to the account of Sluice's own credentials (moto's default, 123456789012).
 * Assuming the role delivers into it; not assuming it is denied and retried.
 */
class AssumeRoleDeliveryIT {
    private static final String ROLE = "arn:aws:iam::111111111111:role/firehose";
    private static final String BUCKET = "role-account-bucket";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static MotoServer moto;
    private static S3Client roleAccount;

    @BeforeAll
    static void startMoto() {
        MotoServer.assumeAvailable();
        moto = MotoServer.start();
        Credentials session;
        try (StsClient sts = StsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build()) {
            session = sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("test-setup"))
                    .credentials();
        }
        roleAccount = s3(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                session.accessKeyId(), session.secretAccessKey(), session.sessionToken())));
        roleAccount.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopMoto() {
        try {
            if (roleAccount != null) {
                roleAccount.close();
            }
        } finally {
            if (moto != null) {
                moto.close();
            }
        }
    }

    private static S3Client s3(AwsCredentialsProvider credentials) {
        return S3Client.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    /** Sluice writing to moto with moto's default account's keys, assuming roles as {@code mode} says. */
    private static RunningSluice sluice(String mode) throws Exception {
        SluiceConfig.DeliverySettings delivery = SluiceConfig.from(SluiceConfig.settings(
                        null,
                        Map.of(),
                        Map.of(
                                "s3-endpoint",
                                moto.endpoint().toString(),
                                "s3-access-key",
                                MotoServer.ACCESS_KEY,
                                "s3-secret-key",
                                MotoServer.SECRET_KEY,
                                "s3-assume-role",
                                mode,
                                "s3-sts-endpoint",
                                moto.endpoint().toString(),
                                "delivery-min-backoff",
                                "100ms",
                                "delivery-max-backoff",
                                "500ms")))
                .delivery();
        return RunningSluice.start(config -> config.withDelivery(delivery));
    }

    /** Creates a stream of {@link #ROLE} to the bucket, and puts one record holding {@code text}. */
    private static void createAndPut(RunningSluice sluice, String stream, String text) {
        try (FirehoseClient firehose = sluice.client()) {
            Streams.createS3(
                    firehose,
                    stream,
                    BUCKET,
                    s -> s.roleARN(ROLE)
                            .prefix(stream + "/")
                            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            Streams.put(firehose, stream, text);
        }
    }

    @Test
    void theBucketIsDeniedToTheBaseAccount() {
        try (S3Client baseAccount = s3(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))) {
            assertThatThrownBy(() -> baseAccount.listObjectsV2(b -> b.bucket(BUCKET)))
                    .isInstanceOfSatisfying(
                            S3Exception.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
        }
    }

    @Test
    void alwaysDeliversIntoTheRolesAccountWithTheAssumedSession() throws Exception {
        try (RunningSluice sluice = sluice("always")) {
            createAndPut(sluice, "assuming", "written as the role");
            await().atMost(WAIT)
                    .untilAsserted(() ->
                            assertThat(Streams.objectsText(roleAccount, BUCKET)).isEqualTo("written as the role"));
        }
    }

    @Test
    void neverWritesWithTheBaseAccountWhichIsDeniedAndRetried() throws Exception {
        try (RunningSluice sluice = sluice("never")) {
            createAndPut(sluice, "not-assuming", "written as the base account");
            await().atMost(WAIT)
                    .until(() -> Scrapes.streamValue(
                                    Scrapes.scrape(sluice.endpoint()),
                                    "firehose_DeliveryToS3_Attempts_total",
                                    "not-assuming")
                            >= 3);
            assertThat(Scrapes.streamValue(
                            Scrapes.scrape(sluice.endpoint()), "firehose_DeliveryToS3_Successes_total", "not-assuming"))
                    .isZero();
        }
        assertThat(roleAccount
                        .listObjectsV2(b -> b.bucket(BUCKET).prefix("not-assuming/"))
                        .contents())
                .isEmpty();
    }
}
