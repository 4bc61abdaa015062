package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link KafkaBroker} fixture: a real KRaft broker on loopback takes topics and records and serves
 * them back; stopped, it refuses clients, and restarted on the same ports it still has them; closing it
 * ends its JVM and deletes its directory.
 */
class KafkaBrokerIT {
    private static Path dir;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("kafka-broker-");
        broker = KafkaBroker.start(dir.resolve("broker"));
    }

    @AfterAll
    static void closeBroker() throws Exception {
        if (broker == null) {
            return;
        }
        long pid = broker.pid();
        broker.close();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("the broker's JVM after close()")
                .isEmpty();
        assertThat(dir.resolve("broker")).doesNotExist();
        Files.delete(dir);
    }

    @Test
    void servesWhatWasProducedInOrderPerPartitionAndKeepsItOverARestart() throws Exception {
        assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        broker.createTopic("orders", 3);
        List<RecordMetadata> written = broker.produce("orders", 2, 1_000L, List.of("a", "b", "c"));
        assertThat(written).extracting(RecordMetadata::offset).containsExactly(0L, 1L, 2L);
        assertThat(written).extracting(RecordMetadata::partition).containsOnly(2);

        assertThat(read("orders", 2, 3)).containsExactly("a@0@1000", "b@1@1000", "c@2@1000");

        long before = broker.pid();
        broker.stop();
        assertThat(ProcessHandle.of(before).filter(ProcessHandle::isAlive)).isEmpty();
        try (Admin admin = broker.admin()) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(3, TimeUnit.SECONDS))
                    .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
        }
        broker.restart();
        broker.produce("orders", 2, 2_000L, List.of("d"));
        assertThat(read("orders", 2, 4)).containsExactly("a@0@1000", "b@1@1000", "c@2@1000", "d@3@2000");
        try (Admin admin = broker.admin()) {
            assertThat(admin.describeTopics(List.of("orders"))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get("orders")
                            .partitions())
                    .hasSize(3);
        }
    }

    /** {@code value@offset@timestamp} of the first {@code count} records of one partition. */
    private static List<String> read(String topic, int partition, int count) {
        TopicPartition tp = new TopicPartition(topic, partition);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8) + "@" + record.offset() + "@"
                            + record.timestamp());
                }
            }
        }
        return values;
    }
}
