package io.sluice.api.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.server.SluiceConfig;
import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local store served as an S3 API on Sluice's port, read with the SDK v2's S3 client (path-style),
 * the AWS CLI and boto3: objects delivered by a stream, and objects laid into the store's folders.
 */
class LocalS3ApiIT {
    private static RunningSluice sluice;
    private static FirehoseClient firehose;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start(config -> config.withTransitionDelay(Duration.ZERO)
                .withTestSuite(new SluiceConfig.TestSuiteSettings(true, false)));
        firehose = sluice.client();
        s3 = s3("test", "test");
    }

    @AfterAll
    static void stop() {
        s3.close();
        firehose.close();
        sluice.close();
    }

    private static S3Client s3(String accessKey, String secret) {
        return S3Client.builder()
                .endpointOverride(sluice.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    /** Lays an object into the local store's folders, as delivery would. */
    private static void lay(String bucket, String key, String text) throws Exception {
        Path file = sluice.dataDir().resolve("buckets").resolve(bucket).resolve(key);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    @Test
    void deliveredObjectsAreListedReadAndHeadedByteForByte() throws Exception {
        Streams.createS3(
                firehose,
                "s3-api",
                "delivered",
                b -> b.prefix("in/").bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
        Streams.put(firehose, "s3-api", "one\n");
        Streams.put(firehose, "s3-api", "two \u00e9\n");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Streams.localObjects(sluice.dataDir(), "delivered").stream()
                        .flatMap(f -> read(f).lines())
                        .sorted()
                        .toList()
                        .equals(List.of("one", "two \u00e9")));
        List<Path> files = Streams.localObjects(sluice.dataDir(), "delivered");

        List<S3Object> listed =
                s3.listObjectsV2(b -> b.bucket("delivered").prefix("in/")).contents();

        assertThat(listed)
                .extracting(S3Object::key)
                .containsExactlyElementsOf(files.stream()
                        .map(f -> Streams.key(sluice.dataDir(), "delivered", f))
                        .toList());
        for (S3Object object : listed) {
            byte[] onDisk = Files.readAllBytes(
                    sluice.dataDir().resolve("buckets").resolve("delivered").resolve(object.key()));
            byte[] got = s3.getObjectAsBytes(b -> b.bucket("delivered").key(object.key()))
                    .asByteArray();
            HeadObjectResponse head = s3.headObject(b -> b.bucket("delivered").key(object.key()));
            assertThat(got).isEqualTo(onDisk);
            assertThat(object.size()).isEqualTo(onDisk.length);
            assertThat(object.eTag()).isEqualTo("\"" + md5(onDisk) + "\"");
            assertThat(head.contentLength()).isEqualTo(onDisk.length);
            assertThat(head.eTag()).isEqualTo(object.eTag());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void listsWithDelimiterPrefixPagesAndOddKeys() throws Exception {
        s3.createBucket(b -> b.bucket("listing"));
        for (String key : List.of("a/1", "a/2", "b/x/1", "c d+e%f", "z\u00e9")) {
            lay("listing", key, key);
        }

        ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
        List<String> paged = s3.listObjectsV2Paginator(b -> b.bucket("listing").maxKeys(2)).contents().stream()
                .map(S3Object::key)
                .toList();
        List<String> pagedRolledUp =
                s3
                        .listObjectsV2Paginator(
                                b -> b.bucket("listing").delimiter("/").maxKeys(1))
                        .stream()
                        .flatMap(page -> java.util.stream.Stream.concat(
                                page.commonPrefixes().stream().map(CommonPrefix::prefix),
                                page.contents().stream().map(S3Object::key)))
                        .toList();
        List<String> underA = s3.listObjectsV2(b -> b.bucket("listing").prefix("a/")).contents().stream()
                .map(S3Object::key)
                .toList();
        List<String> afterB = s3.listObjectsV2(b -> b.bucket("listing").startAfter("b/x/1")).contents().stream()
                .map(S3Object::key)
                .toList();

        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/", "b/");
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("c d+e%f", "z\u00e9");
        assertThat(paged).containsExactly("a/1", "a/2", "b/x/1", "c d+e%f", "z\u00e9");
        assertThat(pagedRolledUp).containsExactly("a/", "b/", "c d+e%f", "z\u00e9");
        assertThat(underA).containsExactly("a/1", "a/2");
        assertThat(afterB).containsExactly("c d+e%f", "z\u00e9");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("listing").key("c d+e%f")).asUtf8String())
                .isEqualTo("c d+e%f");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("listing").key("z\u00e9")).asUtf8String())
                .isEqualTo("z\u00e9");
    }

    @Test
    void readsARange() throws Exception {
        s3.createBucket(b -> b.bucket("ranges"));
        lay("ranges", "digits", "0123456789");

        String middle = s3.getObjectAsBytes(
                        b -> b.bucket("ranges").key("digits").range("bytes=2-4"))
                .asUtf8String();
        String tail = s3.getObjectAsBytes(b -> b.bucket("ranges").key("digits").range("bytes=-3"))
                .asUtf8String();

        assertThat(middle).isEqualTo("234");
        assertThat(tail).isEqualTo("789");
        assertThatThrownBy(
                        () -> s3.getObject(b -> b.bucket("ranges").key("digits").range("bytes=10-")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                });
    }

    @Test
    void createsHeadsListsBucketsAndDeletesObjects() throws Exception {
        s3.createBucket(b -> b.bucket("made-by-test"));
        lay("made-by-test", "deep/er/key", "x");

        s3.headBucket(b -> b.bucket("made-by-test"));
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("made-by-test");
        s3.deleteObject(b -> b.bucket("made-by-test").key("deep/er/key"));
        s3.deleteObject(b -> b.bucket("made-by-test").key("never-was"));

        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("made-by-test").key("deep/er/key")))
                .isInstanceOfSatisfying(NoSuchKeyException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
                });
        assertThat(s3.listObjectsV2(b -> b.bucket("made-by-test")).contents()).isEmpty();
        assertThat(sluice.dataDir().resolve("buckets/made-by-test/deep")).doesNotExist();
    }

    @Test
    void missingThingsAndUnsupportedOperationsAreS3Errors() {
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("no-such-bucket")))
                .isInstanceOfSatisfying(
                        NoSuchBucketException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("no-such-bucket").key("k")))
                .isInstanceOf(NoSuchBucketException.class);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("no-such-bucket").key("k")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        s3.createBucket(b -> b.bucket("errors"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("errors").key("missing")))
                .isInstanceOfSatisfying(
                        NoSuchKeyException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("errors").key("k"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(501);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
                });
    }

    @Test
    void requestsAreCheckedWithTheFirehoseCredentials() {
        try (S3Client wrongSecret = s3("test", "not-the-secret");
                S3Client unknownKey = s3("AKIDUNKNOWN", "test")) {
            assertThatThrownBy(() -> wrongSecret.listBuckets()).isInstanceOfSatisfying(S3Exception.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            });
            assertThatThrownBy(() -> unknownKey.listBuckets()).isInstanceOfSatisfying(S3Exception.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
            });
        }
    }

    @Test
    void theAwsCliListsAndCopiesObjects() throws Exception {
        ExternalCommand.assumeAvailable("aws", "--version");
        s3.createBucket(b -> b.bucket("cli"));
        lay("cli", "logs/2026/one.txt", "first object\n");
        lay("cli", "logs/2026/two.txt", "second object\n");
        String endpoint = sluice.endpoint().toString();

        ExternalCommand.Result ls = ExternalCommand.aws(endpoint, "s3", "ls", "s3://cli/logs/2026/");
        ExternalCommand.Result recursive = ExternalCommand.aws(endpoint, "s3", "ls", "--recursive", "s3://cli/");
        ExternalCommand.Result cp = ExternalCommand.aws(endpoint, "s3", "cp", "s3://cli/logs/2026/two.txt", "-");
        ExternalCommand.Result missing = ExternalCommand.aws(endpoint, "s3", "cp", "s3://cli/logs/none.txt", "-");

        assertThat(ls.exitCode()).as(ls.stderr()).isZero();
        assertThat(ls.stdout()).contains("one.txt").contains("two.txt");
        assertThat(recursive.stdout()).contains("logs/2026/one.txt").contains("logs/2026/two.txt");
        assertThat(cp.exitCode()).as(cp.stderr()).isZero();
        assertThat(cp.stdout()).isEqualTo("second object\n");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("404");
    }
}
