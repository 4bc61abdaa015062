package io.sluice.durability;

import static org.awaitility.Awaitility.await;

import io.sluice.destination.s3.S3ProxyServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Delivery meets a segment file it cannot read (here: moved away for a while, as a failing disk or a
 * careless backup tool might do): it says so and keeps trying, and once the file can be read again
 * every acknowledged record is delivered, without a restart.
 */
class LogReadFailureIT {
    private static final String BUCKET = "read-later";
    private static final String STREAM = "unreadable";

    @Test
    void keepsDeliveringOnceAnUnreadableSegmentCanBeReadAgain() throws Exception {
        Path dataDir = Files.createTempDirectory("sluice-log-read-failure-");
        try (S3ProxyServer s3 = S3ProxyServer.start();
                S3Client bucket = s3.client()) {
            Map<String, String> environment = new HashMap<>(ChildSettings.s3(s3, S3ProxyServer.SECRET_KEY));
            environment.put("SLUICE_LOG_SEGMENT_SIZE", "256KiB");
            // One batch at a time: while the bucket is missing, the first batch keeps its place and the
            // reader waits about a batch behind it, far from the segment moved away below. With eight in
            // flight the reader could have read the whole log before the move, and never miss the file.
            environment.put("SLUICE_DELIVERY_MAX_IN_FLIGHT", "1");
            try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
                List<String> acknowledged = putMegabytes(sluice, 5);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> sluice.logText().contains("S3.NoSuchBucket"));
                List<Path> segments = segments(dataDir);
                Path unreadable = segments.get(segments.size() - 3);
                Path away = unreadable.resolveSibling(unreadable.getFileName() + ".away");
                Files.move(unreadable, away);
                bucket.createBucket(b -> b.bucket(BUCKET));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> sluice.logText().contains("segment file is missing"));
                Files.move(away, unreadable);
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> new HashSet<>(StoredIds.inBucket(bucket, BUCKET)).containsAll(acknowledged));
            }
        } finally {
            RunningSluice.deleteRecursively(dataDir);
            RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        }
    }

    private static List<String> putMegabytes(SluiceProcess sluice, int megabytes) {
        Ledger ledger = new Ledger();
        Ledger.Producer producer = ledger.producer(STREAM, 0);
        try (FirehoseClient firehose = sluice.client()) {
            Streams.createS3(
                    firehose,
                    STREAM,
                    BUCKET,
                    s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            for (int batch = 0; batch < megabytes * 10; batch++) {
                List<String> ids = producer.next(100);
                List<Record> records = new ArrayList<>();
                for (String id : ids) {
                    records.add(Record.builder()
                            .data(SdkBytes.fromByteArrayUnsafe(Ledger.payload(id, 1_000)))
                            .build());
                }
                if (firehose.putRecordBatch(b -> b.deliveryStreamName(STREAM).records(records))
                                .failedPutCount()
                        == 0) {
                    producer.acknowledged(ids);
                }
            }
        }
        return ledger.acknowledged();
    }

    private static List<Path> segments(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve("log"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg"))
                    .sorted()
                    .toList();
        }
    }
}
