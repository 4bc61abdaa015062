package io.sluice.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.destination.s3.S3ProxyServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A missing bucket and a wrong S3 secret: delivery retries, the log says once what is wrong (the S3
 * error code, the stream and the bucket) rather than once per attempt, and every acknowledged record
 * is delivered once the operator fixes it (creates the bucket; restarts Sluice with the right secret).
 */
class S3MisconfigurationIT {
    private static final String STREAM = "misconfigured";
    private static final String ARN = "arn:aws:firehose:us-east-1:000000000000:deliverystream/" + STREAM;
    /** How long a fault stays once delivery has met it: several retries, 100 ms to 1 s apart. */
    private static final Duration RETRYING = Duration.ofSeconds(3);

    private static final Pattern RECOVERED =
            Pattern.compile("Delivery stream " + Pattern.quote(ARN) + " delivers again after (\\d+) failed attempts");

    private Path dataDir;
    private S3ProxyServer s3;
    private S3Client bucket;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("sluice-s3-misconfigured-");
        s3 = S3ProxyServer.start();
        bucket = s3.client();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            bucket.close();
            s3.close();
        } finally {
            RunningSluice.deleteRecursively(dataDir);
            RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        }
    }

    @Test
    void retriesAMissingBucketLoggingItOnceAndDeliversWhenItIsCreated() throws Exception {
        try (SluiceProcess sluice = SluiceProcess.start(dataDir, ChildSettings.s3(s3, S3ProxyServer.SECRET_KEY))) {
            List<String> acknowledged = createStreamAndPut(sluice, "absent-bucket");
            await().atMost(Duration.ofSeconds(30)).until(() -> sluice.logText().contains("S3.NoSuchBucket"));
            Thread.sleep(RETRYING);
            bucket.createBucket(b -> b.bucket("absent-bucket"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> new HashSet<>(StoredIds.inBucket(bucket, "absent-bucket")).containsAll(acknowledged));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> RECOVERED.matcher(sluice.logText()).find());
            assertLoggedOnce(sluice.logText(), "S3.NoSuchBucket", "absent-bucket");
        }
    }

    @Test
    void retriesAWrongSecretLoggingItOnceAndDeliversAfterARestartWithTheRightOne() throws Exception {
        bucket.createBucket(b -> b.bucket("guarded"));
        List<String> acknowledged;
        try (SluiceProcess wrong = SluiceProcess.start(dataDir, ChildSettings.s3(s3, "not-the-secret"))) {
            acknowledged = createStreamAndPut(wrong, "guarded");
            await().atMost(Duration.ofSeconds(30)).until(() -> wrong.logText().contains("S3.SignatureDoesNotMatch"));
            Thread.sleep(RETRYING);
            assertLoggedOnce(wrong.logText(), "S3.SignatureDoesNotMatch", "guarded");
            assertThat(StoredIds.inBucket(bucket, "guarded")).isEmpty();
            assertThat(wrong.terminate()).isIn(0, 143);
        }
        try (SluiceProcess right = SluiceProcess.start(dataDir, ChildSettings.s3(s3, S3ProxyServer.SECRET_KEY))) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> new HashSet<>(StoredIds.inBucket(bucket, "guarded")).containsAll(acknowledged));
        }
    }

    /** Creates the stream and puts several batches quickly, so more than one batch is being delivered. */
    private static List<String> createStreamAndPut(SluiceProcess sluice, String bucketName) {
        Ledger ledger = new Ledger();
        Ledger.Producer producer = ledger.producer(STREAM, 0);
        try (FirehoseClient firehose = sluice.client()) {
            Streams.createS3(
                    firehose,
                    STREAM,
                    bucketName,
                    s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            for (int batch = 0; batch < 20; batch++) {
                List<String> ids = producer.next(50);
                List<Record> records = new ArrayList<>();
                for (String id : ids) {
                    records.add(Record.builder()
                            .data(SdkBytes.fromByteArrayUnsafe(Ledger.payload(id, 1_000)))
                            .build());
                }
                assertThat(firehose.putRecordBatch(
                                        b -> b.deliveryStreamName(STREAM).records(records))
                                .failedPutCount())
                        .isZero();
                producer.acknowledged(ids);
            }
        }
        return ledger.acknowledged();
    }

    /**
     * The error appears in exactly one WARN line, naming the stream and the bucket; once delivery
     * recovers, one more line says after how many failed attempts.
     */
    private static void assertLoggedOnce(String log, String errorCode, String bucketName) {
        List<String> warnings = log.lines()
                .filter(l -> l.contains(" WARN ") && l.contains(errorCode))
                .toList();
        assertThat(warnings)
                .as("warnings with %s; what delivery logged:%n%s", errorCode, deliveryLines(log))
                .hasSize(1);
        assertThat(warnings.get(0)).contains(ARN, "s3://" + bucketName + "/");
        assertThat(log.lines().filter(l -> l.contains(errorCode)).count())
                .as("log lines with %s", errorCode)
                .isLessThanOrEqualTo(2);
        Matcher recovered = RECOVERED.matcher(log);
        if (recovered.find()) {
            assertThat(Integer.parseInt(recovered.group(1))).isGreaterThan(1);
        }
    }

    private static String deliveryLines(String log) {
        return String.join(
                "\n", log.lines().filter(l -> l.contains("StreamPipeline")).toList());
    }
}
