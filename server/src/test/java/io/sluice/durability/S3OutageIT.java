package io.sluice.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.destination.s3.S3ProxyServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 server stopped for over a minute while producers keep putting: puts keep being acknowledged
 * (the record log absorbs them), and once S3 is back every acknowledged record is delivered.
 */
class S3OutageIT {
    private static final String BUCKET = "outage";
    private static final List<String> STREAMS = List.of("outage-a", "outage-b");
    private static final Duration OUTAGE = Duration.ofSeconds(65);
    private static final Load.Shape SHAPE = new Load.Shape(10, 50, 150, Duration.ofMillis(25));

    @Test
    void deliversEveryAcknowledgedRecordAfterS3ComesBack() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                S3Client bucket = s3.client();
                RunningSluice sluice = RunningSluice.start(s3::deliveringHere);
                FirehoseClient firehose = sluice.client()) {
            bucket.createBucket(b -> b.bucket(BUCKET));
            for (String stream : STREAMS) {
                Streams.createS3(
                        firehose,
                        stream,
                        BUCKET,
                        s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            }
            Ledger ledger = new Ledger();
            List<Ledger.Producer> producers = new ArrayList<>();
            for (String stream : STREAMS) {
                producers.add(ledger.producer(stream, 0));
                producers.add(ledger.producer(stream, 1));
            }
            try (Load load = Load.start(sluice.endpoint(), producers, SHAPE, 65)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !StoredIds.inBucket(bucket, BUCKET).isEmpty());
                s3.stop();
                int beforeOutage = load.acknowledgedRequests();
                Thread.sleep(OUTAGE);
                assertThat(load.acknowledgedRequests())
                        .as("puts acknowledged while S3 was down")
                        .isGreaterThan(beforeOutage + 100);
                s3.restart();
                int afterOutage = load.acknowledgedRequests();
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedRequests() > afterOutage + 50);
                load.close();
                assertThat(load.failures()).as("failed puts").isEmpty();
            }
            List<String> acknowledged = ledger.acknowledged();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> new HashSet<>(StoredIds.inBucket(bucket, BUCKET)).containsAll(acknowledged));
            assertThat(StoredIds.inBucket(bucket, BUCKET)).allMatch(ledger::sent, "was sent");
        }
    }
}
