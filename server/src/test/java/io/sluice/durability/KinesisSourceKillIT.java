package io.sluice.durability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.KinesisServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Sluice killed with SIGKILL while it reads a Kinesis data stream (kinesis-local, 4 shards) that a producer
 * keeps writing to, again and again: after a last restart every record Kinesis accepted is delivered at
 * least once. A kill between a batch's append to the log and the save of its shard's position reads the
 * batch again, so duplicates are allowed; a position saved before its records were durable would lose them.
 */
class KinesisSourceKillIT {
    private static final String STREAM = "killed-mid-read";
    private static final int ROUNDS = 3;
    private static final int PROGRESS = 300;
    private static final long SEED = 1_313L;

    private Path dataDir;

    @BeforeEach
    void createDataDir() throws IOException {
        dataDir = Files.createTempDirectory("sluice-kinesis-kill-");
    }

    @AfterEach
    void deleteDataDir() {
        RunningSluice.deleteRecursively(dataDir);
        RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    @Test
    void deliversEveryRecordKinesisAcceptedAtLeastOnceAcrossSigkillsMidRead() throws Exception {
        try (KinesisServer server = KinesisServer.launch();
                KinesisClient kinesis = server.client()) {
            server.createStream(kinesis, STREAM, 4);
            Map<String, String> environment = Map.of(
                    "SLUICE_KINESIS_ENDPOINT",
                    server.endpoint().toString(),
                    "SLUICE_KINESIS_ACCESS_KEY",
                    KinesisServer.ACCESS_KEY,
                    "SLUICE_KINESIS_SECRET_KEY",
                    KinesisServer.SECRET_KEY,
                    "SLUICE_KINESIS_POLL_INTERVAL",
                    "100ms",
                    "SLUICE_DELIVERY_MIN_BACKOFF",
                    "100ms",
                    "SLUICE_DELIVERY_MAX_BACKOFF",
                    "1s");
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            AtomicBoolean producing = new AtomicBoolean(true);
            Random moments = new Random(SEED);
            List<SluiceProcess> started = new ArrayList<>();
            Thread producer = null;
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    SluiceProcess sluice = SluiceProcess.start(dataDir, environment);
                    started.add(sluice);
                    if (round == 0) {
                        create(sluice);
                        producer = Thread.ofVirtual().start(() -> produce(kinesis, accepted, producing));
                    }
                    int before = delivered().size();
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> delivered().size() >= before + PROGRESS);
                    Thread.sleep(moments.nextInt(500));
                    sluice.kill();
                }
                producing.set(false);
                producer.join();
                assertThat(accepted).hasSizeGreaterThan(ROUNDS * PROGRESS);

                SluiceProcess last = SluiceProcess.start(dataDir, environment);
                started.add(last);
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> delivered().containsAll(accepted));
                assertThat(last.logText()).doesNotContain("ERROR");
            } finally {
                producing.set(false);
                started.forEach(SluiceProcess::kill);
            }
        }
    }

    private static void create(SluiceProcess sluice) {
        try (FirehoseClient client = sluice.client()) {
            client.createDeliveryStream(b -> b.deliveryStreamName(STREAM)
                    .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                    .kinesisStreamSourceConfiguration(k ->
                            k.kinesisStreamARN(KinesisServer.streamArn(STREAM)).roleARN(Streams.ROLE))
                    .extendedS3DestinationConfiguration(s3 -> s3.roleARN(Streams.ROLE)
                            .bucketARN("arn:aws:s3:::" + STREAM)
                            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                            .processingConfiguration(
                                    p -> p.enabled(true).processors(pr -> pr.type("AppendDelimiterToRecord")))));
            Streams.awaitActive(client, STREAM);
        }
    }

    /** Puts batches of 100 numbered records until told to stop, noting those Kinesis accepted. */
    private static void produce(KinesisClient kinesis, Set<String> accepted, AtomicBoolean producing) {
        int next = 0;
        while (producing.get()) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                texts.add("record:" + next++);
            }
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(STREAM)
                    .records(texts.stream()
                            .map(text -> PutRecordsRequestEntry.builder()
                                    .partitionKey(text)
                                    .data(SdkBytes.fromUtf8String(text))
                                    .build())
                            .toList()));
            for (int i = 0; i < texts.size(); i++) {
                if (response.records().get(i).errorCode() == null) {
                    accepted.add(texts.get(i));
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The records in the objects delivered so far; each object must be whole. */
    private Set<String> delivered() {
        Set<String> lines = new HashSet<>();
        for (Path object : Streams.localObjects(dataDir, STREAM)) {
            try {
                String text = Files.readString(object, UTF_8);
                assertThat(text).as("object %s is whole", object).endsWith("\n");
                lines.addAll(text.lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }
}
