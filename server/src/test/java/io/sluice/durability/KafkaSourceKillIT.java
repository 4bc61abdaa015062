package io.sluice.durability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.KafkaBroker;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Connectivity;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;

/**
 * Sluice killed with SIGKILL while it reads a Kafka topic (a real broker) into its local store, again and
 * again, while a producer keeps writing to the topic's four partitions: after a last restart every record
 * the broker acknowledged is delivered at least once (records read after the last saved position are read
 * again, so duplicates are allowed), because a position is saved only after its records are in the log.
 */
class KafkaSourceKillIT {
    private static final String TOPIC = "killed-mid-read";
    private static final String STREAM = "from-kafka";
    private static final String BUCKET = "kafka-kill";
    private static final String CLUSTER = "arn:aws:kafka:us-east-1:123456789012:cluster/local/abcd-1234";
    private static final int PARTITIONS = 4;
    private static final int ROUNDS = 3;
    private static final long SEED = 1_313L;

    private Path dataDir;
    private Path brokerDir;

    @BeforeEach
    void createDirectories() throws IOException {
        dataDir = Files.createTempDirectory("sluice-kafka-kill-");
        brokerDir = Files.createTempDirectory("kafka-kill-broker-");
    }

    @AfterEach
    void deleteDirectories() {
        RunningSluice.deleteRecursively(dataDir);
        RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        RunningSluice.deleteRecursively(brokerDir);
    }

    @Test
    void deliversEveryRecordTheBrokerAcknowledgedAtLeastOnceAcrossSigkillsMidRead() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(brokerDir.resolve("broker"));
                Producing producing = new Producing(broker)) {
            broker.createTopic(TOPIC, PARTITIONS);
            Map<String, String> environment = Map.of(
                    "SLUICE_MSK_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "SLUICE_DELIVERY_MIN_BACKOFF", "100ms",
                    "SLUICE_DELIVERY_MAX_BACKOFF", "1s");
            Random moments = new Random(SEED);
            for (int round = 0; round < ROUNDS; round++) {
                try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
                    if (round == 0) {
                        try (FirehoseClient firehose = sluice.client()) {
                            create(firehose);
                        }
                        producing.start();
                    }
                    int before = delivered().size();
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> delivered().size() > before + 2_000);
                    Thread.sleep(moments.nextInt(500));
                    sluice.kill();
                }
            }
            Set<String> acknowledged = producing.stop();
            assertThat(acknowledged).hasSizeGreaterThan(ROUNDS * 2_000);
            try (SluiceProcess sluice = SluiceProcess.start(dataDir, environment)) {
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> new HashSet<>(delivered()).containsAll(acknowledged));
            }
            List<String> delivered = delivered();
            assertThat(delivered).allMatch(acknowledged::contains, "was produced");
            System.out.printf(
                    "%d records acknowledged by the broker, %d lines delivered (%d read again after a kill)%n",
                    acknowledged.size(), delivered.size(), delivered.size() - new HashSet<>(delivered).size());
        }
    }

    private static void create(FirehoseClient firehose) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(STREAM)
                .deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                .mskSourceConfiguration(m -> m.mskClusterARN(CLUSTER)
                        .topicName(TOPIC)
                        .readFromTimestamp(Instant.EPOCH)
                        .authenticationConfiguration(
                                a -> a.roleARN(Streams.ROLE).connectivity(Connectivity.PRIVATE)))
                .extendedS3DestinationConfiguration(s3 -> s3.roleARN(Streams.ROLE)
                        .bucketARN("arn:aws:s3:::" + BUCKET)
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))));
        Streams.awaitActive(firehose, STREAM);
    }

    /** Every line of every object delivered so far (each object must be whole). */
    private List<String> delivered() {
        List<String> lines = new ArrayList<>();
        for (Path object : Streams.localObjects(dataDir, BUCKET)) {
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

    /**
     * A producer thread writing lines {@code r<n>} round-robin to the topic's partitions, in batches of 200
     * with a short pause between, and the lines the broker acknowledged.
     */
    private static final class Producing implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;

        Producing(KafkaBroker broker) {
            this.producer = broker.producer();
        }

        void start() {
            running.set(true);
            thread = Thread.ofPlatform().name("kafka-kill-producer").start(() -> {
                int n = 0;
                while (running.get()) {
                    for (int i = 0; i < 200; i++, n++) {
                        String line = "r" + n;
                        producer.send(
                                new ProducerRecord<>(TOPIC, n % PARTITIONS, null, (line + "\n").getBytes(UTF_8)),
                                (metadata, failure) -> {
                                    if (failure == null) {
                                        acknowledged.add(line);
                                    }
                                });
                    }
                    producer.flush();
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        /** Stops producing and returns what the broker acknowledged. */
        Set<String> stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(Duration.ofSeconds(30));
            }
            producer.flush();
            return Set.copyOf(acknowledged);
        }

        @Override
        public void close() {
            running.set(false);
            if (thread != null) {
                thread.interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }
}
