package io.sluice.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.common.DataSize;
import io.sluice.destination.s3.S3ProxyServer;
import io.sluice.destination.s3.S3StoreConfig;
import io.sluice.log.journal.FsyncPolicy;
import io.sluice.server.SluiceConfig;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A full record log: with delivery blocked (its bucket does not exist yet) puts fill the log's disk
 * budget and then get 503 ServiceUnavailableException, never another error, and the server keeps
 * running; once the bucket exists delivery frees the log and puts are acknowledged again, and every
 * acknowledged record is delivered.
 */
class FullLogIT {
    private static final String BUCKET = "created-late";
    private static final String STREAM = "full";
    private static final String UNAVAILABLE = "ServiceUnavailableException (HTTP 503)";
    private static final Load.Shape SHAPE = new Load.Shape(20, 2_000, 8_000, Duration.ofMillis(10));

    @Test
    void answers503WhenTheLogIsFullAndAcceptsPutsAgainOnceDeliveryFreesIt() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.start();
                S3Client bucket = s3.client();
                RunningSluice sluice = RunningSluice.start(config -> config.withLog(new SluiceConfig.LogSettings(
                                DataSize.ofMebibytes(1),
                                FsyncPolicy.ALWAYS,
                                Duration.ofHours(24),
                                DataSize.ofMebibytes(2)))
                        .withDelivery(new SluiceConfig.DeliverySettings(
                                Optional.of(S3StoreConfig.of(s3.endpointConfig())),
                                2,
                                Duration.ofMillis(100),
                                Duration.ofSeconds(1),
                                config.delivery().httpEndpoint())));
                FirehoseClient firehose = sluice.client()) {
            Streams.createS3(
                    firehose,
                    STREAM,
                    BUCKET,
                    s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            Ledger ledger = new Ledger();
            List<Ledger.Producer> producers = List.of(ledger.producer(STREAM, 0), ledger.producer(STREAM, 1));
            try (Load load = Load.start(sluice.endpoint(), producers, SHAPE, 503)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> load.failures().containsKey(UNAVAILABLE));
                assertThat(load.failures()).containsOnlyKeys(UNAVAILABLE);
                assertThat(health(sluice)).isEqualTo(200);

                bucket.createBucket(b -> b.bucket(BUCKET));
                int whenFull = load.acknowledgedRequests();
                await().atMost(Duration.ofSeconds(60))
                        .alias("puts of more than the whole budget acknowledged after the bucket was created")
                        .until(() -> load.acknowledgedRequests() > whenFull + 150);
                load.close();
                assertThat(load.failures()).containsOnlyKeys(UNAVAILABLE);
            }
            List<String> acknowledged = ledger.acknowledged();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> new HashSet<>(StoredIds.inBucket(bucket, BUCKET)).containsAll(acknowledged));
        }
    }

    private static int health(RunningSluice sluice) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(sluice.endpoint().resolve("/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}
