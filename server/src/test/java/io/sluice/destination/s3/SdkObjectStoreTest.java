package io.sluice.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.common.DataSize;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What {@link SdkObjectStore} sends, and how it reads S3's answers, against a scripted endpoint. */
class SdkObjectStoreTest {
    private ScriptedS3 s3;
    private SdkObjectStore store;

    @BeforeEach
    void start() throws Exception {
        s3 = new ScriptedS3();
        store = new SdkObjectStore(S3StoreConfig.of(
                S3EndpointConfig.of(s3.endpoint(), "eu-west-1", AccessKeys.of("AKIDEXAMPLE", "secret"))));
    }

    @AfterEach
    void stop() {
        try {
            store.close();
        } finally {
            s3.close();
        }
    }

    private static PutObject gzipObject() {
        byte[] bytes = "body".getBytes(StandardCharsets.UTF_8);
        return PutObject.of(
                "bucket",
                "2024/01/02/03/s-1-2024-01-02-03-04-05-u.gz",
                new ObjectContent.OfStream(() -> new ByteArrayInputStream(bytes), DataSize.ofBytes(bytes.length)),
                new ObjectFormat(CompressionFormat.GZIP, false));
    }

    @Test
    void putCarriesHeadersAndACrc32ChecksumPathStyle() {
        assertThat(store.put(gzipObject())).isInstanceOf(PutOutcome.Stored.class);

        ScriptedS3.Received put = s3.received().getLast();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/bucket/2024/01/02/03/s-1-2024-01-02-03-04-05-u.gz");
        assertThat(put.header("content-type")).contains("application/octet-stream");
        assertThat(put.header("content-encoding"))
                .hasValueSatisfying(e -> assertThat(e).contains("gzip"));
        assertThat(put.header("x-amz-sdk-checksum-algorithm")).contains("CRC32");
        assertThat(put.header("x-amz-trailer")
                        .or(() -> put.header("x-amz-checksum-crc32").map(v -> "x-amz-checksum-crc32")))
                .contains("x-amz-checksum-crc32");
        assertThat(put.header("authorization").orElseThrow())
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/eu-west-1/s3/");
    }

    @ParameterizedTest
    @CsvSource({
        "404,NoSuchBucket,S3.NoSuchBucket",
        "403,AccessDenied,S3.AccessDenied",
        "403,InvalidAccessKeyId,S3.InvalidAccessKeyId",
        "500,InternalError,S3.InternalError",
        "503,SlowDown,S3.SlowDown",
        "503,'',S3.Http503"
    })
    void errorResponsesAreRetryableWithTheirCode(int status, String code, String expected) {
        s3.fail(status, code);

        PutOutcome outcome = store.put(gzipObject());

        assertThat(outcome).isInstanceOfSatisfying(PutOutcome.RetryableFailure.class, f -> {
            assertThat(f.errorCode()).isEqualTo(expected);
            assertThat(f.message()).contains("HTTP " + status);
        });
    }

    @ParameterizedTest
    @CsvSource({"400,KeyTooLongError", "400,EntityTooLarge"})
    void requestsThatCanNeverSucceedArePermanent(int status, String code) {
        s3.fail(status, code);

        assertThat(store.put(gzipObject()))
                .isInstanceOfSatisfying(
                        PutOutcome.PermanentFailure.class,
                        f -> assertThat(f.errorCode()).isEqualTo("S3." + code));
    }

    @Test
    void aMultipartUploadWhosePartFailsIsAborted() {
        s3.script(request -> switch (request.method()) {
            case "POST" ->
                new ScriptedS3.Answer(
                        200,
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult><Bucket>bucket"
                                + "</Bucket><Key>k</Key><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>");
            case "PUT" -> ScriptedS3.Answer.error(500, "InternalError");
            default -> new ScriptedS3.Answer(204, "");
        });
        S3StoreConfig config = new S3StoreConfig(
                S3EndpointConfig.of(s3.endpoint(), "eu-west-1", AccessKeys.of("AKIDEXAMPLE", "secret")),
                Map.of(),
                Map.of(),
                RoleAssumption.AUTO,
                new MultipartPolicy(DataSize.ofBytes(1), DataSize.ofMebibytes(5)));

        try (SdkObjectStore parts = new SdkObjectStore(config)) {
            assertThat(parts.put(gzipObject()))
                    .isInstanceOfSatisfying(
                            PutOutcome.RetryableFailure.class,
                            f -> assertThat(f.errorCode()).isEqualTo("S3.InternalError"));
        }

        List<ScriptedS3.Received> received = s3.received();
        assertThat(received.getFirst().query()).isEqualTo("uploads");
        assertThat(received.getFirst().header("x-amz-checksum-algorithm")).contains("CRC32");
        assertThat(received.getFirst().header("content-encoding")).contains("gzip");
        assertThat(received.get(1).query()).contains("partNumber=1").contains("uploadId=upload-1");
        assertThat(received.getLast().method()).isEqualTo("DELETE");
        assertThat(received.getLast().query()).isEqualTo("uploadId=upload-1");
    }

    private static final String ROLE = "arn:aws:iam::111111111111:role/firehose";
    private static final String STS_XML = "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"";

    /** A store that assumes every stream's role, with STS at the scripted endpoint too. */
    private SdkObjectStore assumingStore() {
        return assumingStore(s3.endpoint());
    }

    private SdkObjectStore assumingStore(URI sts) {
        return new SdkObjectStore(new S3StoreConfig(
                S3EndpointConfig.of(s3.endpoint(), "eu-west-1", AccessKeys.of("AKIDEXAMPLE", "secret")),
                Map.of(),
                Map.of(),
                new RoleAssumption(RoleAssumption.Mode.ALWAYS, Optional.of(sts)),
                MultipartPolicy.DEFAULT));
    }

    /** STS's query API is a POST to {@code /}; S3's requests name a bucket. */
    private static boolean isSts(ScriptedS3.Received request) {
        return request.method().equals("POST") && request.path().equals("/");
    }

    @Test
    void assumesTheStreamsRoleOnceAndSignsWithItsSession() {
        s3.script(request -> isSts(request)
                ? new ScriptedS3.Answer(
                        200,
                        "<AssumeRoleResponse " + STS_XML + "><AssumeRoleResult><Credentials>"
                                + "<AccessKeyId>ASIASCRIPTED</AccessKeyId><SecretAccessKey>session-secret"
                                + "</SecretAccessKey><SessionToken>session-token</SessionToken>"
                                + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser>"
                                + "<Arn>arn:aws:sts::111111111111:assumed-role/firehose/sluice-delivery</Arn>"
                                + "<AssumedRoleId>AROAEXAMPLE:sluice-delivery</AssumedRoleId></AssumedRoleUser>"
                                + "</AssumeRoleResult></AssumeRoleResponse>")
                : ScriptedS3.Answer.ok());

        try (SdkObjectStore assuming = assumingStore()) {
            assertThat(assuming.put(gzipObject().withRole(ROLE))).isInstanceOf(PutOutcome.Stored.class);
            assertThat(assuming.put(gzipObject().withRole(ROLE))).isInstanceOf(PutOutcome.Stored.class);
        }

        List<ScriptedS3.Received> received = s3.received();
        assertThat(received).filteredOn(SdkObjectStoreTest::isSts).hasSize(1);
        assertThat(received.getFirst().header("authorization"))
                .hasValueSatisfying(
                        a -> assertThat(a).contains("Credential=AKIDEXAMPLE/").contains("/eu-west-1/sts/"));
        List<ScriptedS3.Received> puts =
                received.stream().filter(r -> r.method().equals("PUT")).toList();
        assertThat(puts).hasSize(2).allSatisfy(put -> {
            assertThat(put.header("authorization"))
                    .hasValueSatisfying(a -> assertThat(a).contains("Credential=ASIASCRIPTED/"));
            assertThat(put.header("x-amz-security-token")).contains("session-token");
        });
    }

    @Test
    void aRefusedAssumeRoleIsRetryableAssumeRoleFailedNotAnS3Error() {
        s3.script(request -> isSts(request)
                ? new ScriptedS3.Answer(
                        403,
                        "<ErrorResponse " + STS_XML + "><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                                + "<Message>not authorized to perform sts:AssumeRole</Message></Error>"
                                + "<RequestId>1</RequestId></ErrorResponse>")
                : ScriptedS3.Answer.ok());

        try (SdkObjectStore assuming = assumingStore()) {
            assertThat(assuming.put(gzipObject().withRole(ROLE)))
                    .isInstanceOfSatisfying(PutOutcome.RetryableFailure.class, f -> {
                        assertThat(f.errorCode()).isEqualTo("S3.AssumeRoleFailed");
                        assertThat(f.message())
                                .isEqualTo("AssumeRole of " + ROLE + " failed: AccessDenied: not authorized to"
                                        + " perform sts:AssumeRole (HTTP 403)");
                    });
        }
        assertThat(s3.received()).allMatch(SdkObjectStoreTest::isSts);
    }

    @Test
    void anUnreachableStsIsAssumeRoleFailedNotS3Unreachable() {
        try (SdkObjectStore assuming = assumingStore(URI.create("http://127.0.0.1:1"))) {
            assertThat(assuming.put(gzipObject().withRole(ROLE)))
                    .isInstanceOfSatisfying(PutOutcome.RetryableFailure.class, f -> {
                        assertThat(f.errorCode()).isEqualTo("S3.AssumeRoleFailed");
                        assertThat(f.message()).startsWith("AssumeRole of " + ROLE + " failed: ");
                    });
        }
        assertThat(s3.received()).isEmpty();
    }
}
