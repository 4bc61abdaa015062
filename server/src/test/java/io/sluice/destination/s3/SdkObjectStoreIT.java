package io.sluice.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.common.DataSize;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;

/** {@link SdkObjectStore} against a real S3 server (s3proxy) started in this JVM. */
class SdkObjectStoreIT {
    private static final String BUCKET = "delivery";
    private static final String ROLE = "arn:aws:iam::123456789012:role/firehose-delivery";

    private static S3ProxyServer server;
    private static S3Client reader;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        server = S3ProxyServer.start();
        reader = server.client();
        reader.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3() throws Exception {
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static SdkObjectStore store(S3StoreConfig config) {
        return new SdkObjectStore(config);
    }

    private static ResponseBytes<GetObjectResponse> get(String key) {
        return reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
    }

    private Path randomFile(String name, long size, long seed) throws IOException {
        Path file = dir.resolve(name);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
        return file;
    }

    @Test
    void putsASmallObjectWithItsHeaders() throws IOException {
        Path body = dir.resolve("body.gz");
        ObjectFormat format = new ObjectFormat(CompressionFormat.GZIP, true);
        try (ObjectEncoder encoder =
                ObjectEncoder.open(format, Files.newOutputStream(body), UUID::randomUUID, Clock.systemUTC())) {
            encoder.append("first".getBytes(StandardCharsets.UTF_8));
            encoder.append("second".getBytes(StandardCharsets.UTF_8));
        }
        String key = "2024/05/06/07/s-1-2024-05-06-07-08-09-" + UUID.randomUUID() + ".gz";

        try (SdkObjectStore store = store(S3StoreConfig.of(server.endpointConfig()))) {
            PutOutcome outcome = store.put(PutObject.of(BUCKET, key, ObjectContent.of(body), format));
            assertThat(outcome).isEqualTo(new PutOutcome.Stored(BUCKET, key, DataSize.ofBytes(Files.size(body))));
        }

        ResponseBytes<GetObjectResponse> stored = get(key);
        assertThat(stored.asByteArray()).isEqualTo(Files.readAllBytes(body));
        assertThat(stored.response().contentEncoding()).isEqualTo("gzip");
        assertThat(stored.response().contentType()).isEqualTo("application/octet-stream");
        assertThat(ObjectEncoderTest.decode(CompressionFormat.GZIP, stored.asByteArray()))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("first\nsecond\n");
    }

    @Test
    void putsUncompressedObjectsWithoutContentEncoding() {
        byte[] bytes = "raw records".getBytes(StandardCharsets.UTF_8);
        ObjectContent content =
                new ObjectContent.OfStream(() -> new ByteArrayInputStream(bytes), DataSize.ofBytes(bytes.length));
        try (SdkObjectStore store = store(S3StoreConfig.of(server.endpointConfig()))) {
            assertThat(store.put(PutObject.of(
                            BUCKET, "plain", content, new ObjectFormat(CompressionFormat.UNCOMPRESSED, false))))
                    .isInstanceOf(PutOutcome.Stored.class);
        }
        ResponseBytes<GetObjectResponse> stored = get("plain");
        assertThat(stored.asByteArray()).isEqualTo(bytes);
        assertThat(stored.response().contentEncoding()).isNull();
        assertThat(stored.response().contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void uploadsLargeObjectsInParts() throws IOException {
        Path body = randomFile("large.snappy", 12L * 1024 * 1024 + 123, 1);
        MultipartPolicy policy = new MultipartPolicy(DataSize.ofMebibytes(5), DataSize.ofMebibytes(5));
        S3StoreConfig config =
                new S3StoreConfig(server.endpointConfig(), Map.of(), Map.of(), RoleAssumption.AUTO, policy);

        try (SdkObjectStore store = store(config)) {
            PutOutcome outcome = store.put(PutObject.of(
                    BUCKET, "large.snappy", ObjectContent.of(body), new ObjectFormat(CompressionFormat.SNAPPY, false)));
            assertThat(outcome).isInstanceOf(PutOutcome.Stored.class);
        }

        ResponseBytes<GetObjectResponse> stored = get("large.snappy");
        assertThat(stored.asByteArray()).isEqualTo(Files.readAllBytes(body));
        assertThat(stored.response().eTag())
                .as("a multipart ETag counts its parts")
                .endsWith("-3\"");
        assertThat(stored.response().contentEncoding()).isEqualTo("snappy-java");
        ListMultipartUploadsResponse uploads = reader.listMultipartUploads(b -> b.bucket(BUCKET));
        assertThat(uploads.uploads()).isEmpty();
    }

    @Test
    void uploadsStreamContentInPartsReadingEachPartAfresh() throws IOException {
        Path body = randomFile("stream", 11L * 1024 * 1024, 2);
        ObjectContent content =
                new ObjectContent.OfStream(() -> Files.newInputStream(body), DataSize.ofBytes(Files.size(body)));
        MultipartPolicy policy = new MultipartPolicy(DataSize.ofMebibytes(5), DataSize.ofMebibytes(5));

        try (SdkObjectStore store =
                store(new S3StoreConfig(server.endpointConfig(), Map.of(), Map.of(), RoleAssumption.AUTO, policy))) {
            assertThat(store.put(PutObject.of(
                            BUCKET, "stream", content, new ObjectFormat(CompressionFormat.UNCOMPRESSED, false))))
                    .isInstanceOf(PutOutcome.Stored.class);
        }

        ResponseBytes<GetObjectResponse> stored = get("stream");
        assertThat(stored.asByteArray()).isEqualTo(Files.readAllBytes(body));
        assertThat(stored.response().eTag()).endsWith("-3\"");
    }

    @Test
    void missingBucketIsRetryableNoSuchBucket() {
        try (SdkObjectStore store = store(S3StoreConfig.of(server.endpointConfig()))) {
            PutOutcome outcome = store.put(PutObject.of(
                    "no-such-bucket",
                    "k",
                    new ObjectContent.OfStream(() -> new ByteArrayInputStream(new byte[3]), DataSize.ofBytes(3)),
                    new ObjectFormat(CompressionFormat.UNCOMPRESSED, false)));

            assertThat(outcome).isInstanceOfSatisfying(PutOutcome.RetryableFailure.class, f -> {
                assertThat(f.errorCode()).isEqualTo("S3.NoSuchBucket");
                assertThat(f.message()).contains("404");
            });
        }
    }

    @Test
    void missingBucketOfAMultipartUploadIsRetryableNoSuchBucket() throws IOException {
        Path body = randomFile("parts", 6L * 1024 * 1024, 3);
        MultipartPolicy policy = new MultipartPolicy(DataSize.ofMebibytes(5), DataSize.ofMebibytes(5));
        try (SdkObjectStore store =
                store(new S3StoreConfig(server.endpointConfig(), Map.of(), Map.of(), RoleAssumption.AUTO, policy))) {
            PutOutcome outcome = store.put(PutObject.of(
                    "no-such-bucket",
                    "k",
                    ObjectContent.of(body),
                    new ObjectFormat(CompressionFormat.UNCOMPRESSED, false)));

            assertThat(outcome)
                    .isInstanceOfSatisfying(
                            PutOutcome.RetryableFailure.class,
                            f -> assertThat(f.errorCode()).isEqualTo("S3.NoSuchBucket"));
        }
    }

    @Test
    void wrongSecretIsRetryableAndNamesTheSignatureError() {
        S3EndpointConfig wrong =
                server.endpointConfig().withCredentials(AccessKeys.of(S3ProxyServer.ACCESS_KEY, "wrong"));
        try (SdkObjectStore store = store(S3StoreConfig.of(wrong))) {
            PutOutcome outcome = store.put(small("denied"));

            assertThat(outcome)
                    .isInstanceOfSatisfying(
                            PutOutcome.RetryableFailure.class,
                            f -> assertThat(f.errorCode()).isEqualTo("S3.SignatureDoesNotMatch"));
        }
        assertThat(reader.listObjectsV2(b -> b.bucket(BUCKET).prefix("denied")).contents())
                .isEmpty();
    }

    @Test
    void roleCredentialsReplaceTheEndpointsOwn() {
        S3EndpointConfig wrong = server.endpointConfig().withCredentials(AccessKeys.of("unknown", "wrong"));
        S3StoreConfig config = new S3StoreConfig(
                wrong,
                Map.of(),
                Map.of(ROLE, AccessKeys.of(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)),
                RoleAssumption.AUTO,
                MultipartPolicy.DEFAULT);
        try (SdkObjectStore store = store(config)) {
            assertThat(store.put(small("by-role").withRole(ROLE))).isInstanceOf(PutOutcome.Stored.class);
            assertThat(store.put(small("by-other-role").withRole("arn:aws:iam::123456789012:role/other")))
                    .isInstanceOf(PutOutcome.RetryableFailure.class);
            assertThat(store.put(small("without-role"))).isInstanceOf(PutOutcome.RetryableFailure.class);
        }
    }

    @Test
    void bucketEndpointsOverrideTheDefault() {
        S3EndpointConfig nowhere = new S3EndpointConfig(
                Optional.of(java.net.URI.create("http://127.0.0.1:1")),
                S3ProxyServer.REGION,
                true,
                Optional.of(AccessKeys.of("a", "b")));
        S3StoreConfig config = new S3StoreConfig(
                nowhere,
                Map.of(BUCKET, server.endpointConfig()),
                Map.of(),
                RoleAssumption.AUTO,
                MultipartPolicy.DEFAULT);
        try (SdkObjectStore store = store(config)) {
            assertThat(store.put(small("by-bucket-endpoint"))).isInstanceOf(PutOutcome.Stored.class);
        }
        assertThat(get("by-bucket-endpoint").asUtf8String()).isEqualTo("record");
    }

    private static PutObject small(String key) {
        byte[] bytes = "record".getBytes(StandardCharsets.UTF_8);
        return PutObject.of(
                BUCKET,
                key,
                new ObjectContent.OfStream(() -> new ByteArrayInputStream(bytes), DataSize.ofBytes(bytes.length)),
                new ObjectFormat(CompressionFormat.UNCOMPRESSED, false));
    }

    @Test
    void stoppedServerIsRetryableUnreachableAndPutsSucceedAfterRestart() throws Exception {
        try (S3ProxyServer own = S3ProxyServer.start();
                S3Client ownReader = own.client();
                SdkObjectStore store = store(S3StoreConfig.of(own.endpointConfig()))) {
            ownReader.createBucket(b -> b.bucket(BUCKET));
            assertThat(store.put(small("before"))).isInstanceOf(PutOutcome.Stored.class);

            own.stop();
            PutOutcome whileDown = store.put(small("while-down"));
            assertThat(whileDown).isInstanceOfSatisfying(PutOutcome.RetryableFailure.class, f -> {
                assertThat(f.errorCode()).isEqualTo("S3.Unreachable");
                assertThat(f.message()).contains("refused");
            });

            own.restart();
            assertThat(store.put(small("while-down"))).isInstanceOf(PutOutcome.Stored.class);
            assertThat(ownReader.listObjectsV2(b -> b.bucket(BUCKET)).contents())
                    .extracting(o -> o.key())
                    .containsExactlyInAnyOrderElementsOf(List.of("before", "while-down"));
        }
    }
}
