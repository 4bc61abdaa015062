package io.sluice.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka side of {@code bench/kafka-source.sh}, on the test classpath:
 *
 * <ul>
 *   <li>{@code broker DIR PORT CONTROLLER_PORT}: a broker as {@link KafkaBroker} starts one, its files under
 *       DIR, running until standard input ends;
 *   <li>{@code produce BOOTSTRAP TOPIC PARTITIONS RECORDS SIZE}: creates the topic and writes RECORDS records of
 *       SIZE bytes (a JSON object padded with spaces, newline-terminated) round-robin to its partitions;
 *   <li>{@code consume BOOTSTRAP TOPIC RECORDS}: the broker's read ceiling: one plain consumer, every partition
 *       assigned from the beginning, with the fetch settings Sluice's reader uses, reads RECORDS records and
 *       throws them away; prints {@code RESULT <records> <seconds> <records/s> <MB/s>}, timed from the first
 *       record to the last.
 * </ul>
 */
public final class KafkaBenchMain {
    private KafkaBenchMain() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "produce" ->
                produce(
                        args[1],
                        args[2],
                        Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]));
            case "consume" -> consume(args[1], args[2], Long.parseLong(args[3]));
            case "broker" -> {
                Path home = Path.of(args[1]).toAbsolutePath();
                KafkaBroker.writeProperties(home, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                KafkaBrokerMain.main(
                        new String[] {home.resolve("server.properties").toString()});
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static void produce(String bootstrap, String topic, int partitions, int records, int size)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get();
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        10,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int n = 0; n < records; n++) {
                producer.send(new ProducerRecord<>(topic, n % partitions, null, record(n, size)));
            }
            producer.flush();
        }
        System.out.printf("produced %d records of %d bytes to %d partitions of %s%n", records, size, partitions, topic);
    }

    private static byte[] record(int n, int size) {
        StringBuilder text = new StringBuilder("{\"n\":").append(n).append(",\"pad\":\"");
        while (text.length() < size - 3) {
            text.append(' ');
        }
        return text.append("\"}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void consume(String bootstrap, String topic, long records) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        4_000,
                        ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                        16 << 20,
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        2 << 20),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long read = 0;
            long bytes = 0;
            long first = 0;
            long firstRecords = 0;
            while (read < records) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofSeconds(1));
                if (!batch.isEmpty() && first == 0) {
                    first = System.nanoTime();
                    firstRecords = batch.count();
                }
                for (var record : batch) {
                    bytes += record.value().length;
                }
                read += batch.count();
            }
            double seconds = (System.nanoTime() - first) / 1e9;
            double counted = read - firstRecords;
            System.out.printf(
                    "RESULT %d %.3f %.0f %.1f%n",
                    read, seconds, counted / seconds, counted * bytes / read / seconds / 1e6);
        }
    }
}
