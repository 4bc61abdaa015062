package io.sluice.destination.s3;

import static io.sluice.testing.Streams.createS3;
import static io.sluice.testing.Streams.key;
import static io.sluice.testing.Streams.localObjects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.RunningSluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.firehose.model.Record;

/** What lands in the bucket (the embedded local store): keys, bytes, compression, triggers, backup. */
class S3DeliveryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

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

    private static List<String> put(String stream, String prefix, int count) {
        List<String> sent = new ArrayList<>();
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String data = prefix + "-" + i + ";";
            sent.add(data);
            records.add(Record.builder().data(SdkBytes.fromUtf8String(data)).build());
        }
        assertThat(firehose.putRecordBatch(b -> b.deliveryStreamName(stream).records(records))
                        .failedPutCount())
                .isZero();
        return sent;
    }

    private static String concatenated(List<Path> objects) throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path object : objects) {
            all.append(Files.readString(object, UTF_8));
        }
        return all.toString();
    }

    @Test
    void deliversRecordsByteForByteUnderFirehosesKeyLayout() throws Exception {
        createS3(
                firehose,
                "plain",
                "plain-bucket",
                s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
        List<String> sent = put("plain", "p", 100);
        await().atMost(WAIT)
                .until(() -> !localObjects(sluice.dataDir(), "plain-bucket").isEmpty());
        List<Path> objects = localObjects(sluice.dataDir(), "plain-bucket");
        assertThat(concatenated(objects)).isEqualTo(String.join("", sent));
        String key = key(sluice.dataDir(), "plain-bucket", objects.get(0));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        assertThat(key)
                .matches("\\d{4}/\\d{2}/\\d{2}/\\d{2}/plain-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-" + UUID)
                .startsWith(String.format("%04d/", now.getYear()));
        String folders = key.substring(0, 13).replace("/", "-");
        assertThat(key.substring(key.indexOf("plain-1-") + 8)).startsWith(folders);
    }

    @Test
    void compressesWithGzipAndAppendsNewlines() throws Exception {
        createS3(
                firehose,
                "gzipped",
                "gzip-bucket",
                s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .compressionFormat(CompressionFormat.GZIP)
                        .processingConfiguration(p ->
                                p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD))));
        List<String> sent = put("gzipped", "g", 50);
        await().atMost(WAIT)
                .until(() -> !localObjects(sluice.dataDir(), "gzip-bucket").isEmpty());
        StringBuilder all = new StringBuilder();
        for (Path object : localObjects(sluice.dataDir(), "gzip-bucket")) {
            assertThat(object.getFileName().toString()).endsWith(".gz");
            try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(object))) {
                all.append(new String(in.readAllBytes(), UTF_8));
            }
        }
        assertThat(all.toString()).isEqualTo(String.join("\n", sent) + "\n");
    }

    @Test
    void evaluatesPrefixesInTheCustomTimeZoneWithTheFileExtension() throws Exception {
        createS3(
                firehose,
                "zoned",
                "zone-bucket",
                s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .prefix("logs/year=!{timestamp:yyyy}/hour=!{timestamp:HH}/")
                        .errorOutputPrefix("errors/!{firehose:error-output-type}/")
                        .customTimeZone("Asia/Tokyo")
                        .fileExtension(".ndjson"));
        put("zoned", "z", 3);
        await().atMost(WAIT)
                .until(() -> !localObjects(sluice.dataDir(), "zone-bucket").isEmpty());
        String key = key(
                sluice.dataDir(),
                "zone-bucket",
                localObjects(sluice.dataDir(), "zone-bucket").get(0));
        int tokyoHour = ZonedDateTime.now(ZoneId.of("Asia/Tokyo")).getHour();
        assertThat(key).matches("logs/year=\\d{4}/hour=\\d{2}/zoned-1-\\d{4}(-\\d{2}){5}-" + UUID + "\\.ndjson");
        int keyHour = Integer.parseInt(key.substring(key.indexOf("hour=") + 5, key.indexOf("hour=") + 7));
        assertThat(keyHour).isIn(tokyoHour, (tokyoHour + 23) % 24);
    }

    @Test
    void flushesOnTheSizeHintWithoutWaitingForTheInterval() throws Exception {
        createS3(
                firehose,
                "sized",
                "size-bucket",
                s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(900)));
        byte[] chunk = new byte[100_000];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 3; i++) {
            List<Record> records = new ArrayList<>();
            for (int r = 0; r < 11; r++) {
                records.add(Record.builder().data(SdkBytes.fromByteArray(chunk)).build());
            }
            firehose.putRecordBatch(b -> b.deliveryStreamName("sized").records(records));
        }
        await().atMost(WAIT)
                .until(() -> localObjects(sluice.dataDir(), "size-bucket").size() == 3);
        for (Path object : localObjects(sluice.dataDir(), "size-bucket")) {
            assertThat(Files.size(object)).isEqualTo(1_100_000);
        }
    }

    @Test
    void writesSourceRecordsToTheBackupBucketToo() throws Exception {
        createS3(
                firehose,
                "backed",
                "main-bucket",
                s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .processingConfiguration(p ->
                                p.enabled(true).processors(pr -> pr.type(ProcessorType.APPEND_DELIMITER_TO_RECORD)))
                        .s3BackupMode("Enabled")
                        .s3BackupConfiguration(b -> b.roleARN(io.sluice.testing.Streams.ROLE)
                                .bucketARN("arn:aws:s3:::backup-bucket")
                                .prefix("source/")));
        List<String> sent = put("backed", "b", 10);
        await().atMost(WAIT)
                .until(() -> !localObjects(sluice.dataDir(), "backup-bucket").isEmpty()
                        && !localObjects(sluice.dataDir(), "main-bucket").isEmpty());
        assertThat(concatenated(localObjects(sluice.dataDir(), "main-bucket")))
                .isEqualTo(String.join("\n", sent) + "\n");
        assertThat(concatenated(localObjects(sluice.dataDir(), "backup-bucket")))
                .isEqualTo(String.join("", sent));
        assertThat(key(
                        sluice.dataDir(),
                        "backup-bucket",
                        localObjects(sluice.dataDir(), "backup-bucket").get(0)))
                .startsWith("source");
    }

    @Test
    void namesObjectsWithTheNewVersionAfterUpdateDestination() throws Exception {
        createS3(
                firehose,
                "versioned",
                "version-bucket",
                s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
        put("versioned", "v1", 2);
        await().atMost(WAIT)
                .until(() -> localObjects(sluice.dataDir(), "version-bucket").size() == 1);
        firehose.updateDestination(b -> b.deliveryStreamName("versioned")
                .currentDeliveryStreamVersionId("1")
                .destinationId("destinationId-000000000001")
                .extendedS3DestinationUpdate(u -> u.prefix("v2/")));
        put("versioned", "v2", 2);
        await().atMost(WAIT)
                .until(() -> localObjects(sluice.dataDir(), "version-bucket").size() == 2);
        List<String> keys = localObjects(sluice.dataDir(), "version-bucket").stream()
                .map(p -> key(sluice.dataDir(), "version-bucket", p))
                .toList();
        assertThat(keys).anyMatch(k -> Pattern.matches("\\d{4}/.*/versioned-1-.*", k));
        assertThat(keys).anyMatch(k -> Pattern.matches("v2/\\d{4}/\\d{2}/\\d{2}/\\d{2}/versioned-2-.*", k));
    }
}
