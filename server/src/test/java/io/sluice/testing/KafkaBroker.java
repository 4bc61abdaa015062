package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Apache Kafka broker (the {@code kafka_2.13} server from the test classpath) in a child JVM, for
 * tests of the MSK source: one KRaft node that is both broker and controller, its own cluster, both
 * listeners on 127.0.0.1 (plaintext), every file under the directory given to {@link #start(Path)}.
 * {@link #stop()} and {@link #restart()} take it down and bring it back on the same ports and data, as a
 * broker outage; {@link #close()} stops it by its own process and deletes the directory.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private ChildJvm child;

    private KafkaBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Starts a broker whose files are all under {@code dir} (created if missing, deleted by {@link #close()})
     * on two free loopback ports, and waits (at most 90 s) until it answers.
     */
    public static KafkaBroker start(Path dir) {
        Path home = dir.toAbsolutePath();
        int brokerPort = freePort();
        writeProperties(home, brokerPort, freePort());
        KafkaBroker broker = new KafkaBroker(home, brokerPort);
        broker.restart();
        return broker;
    }

    /**
     * Writes {@code <home>/server.properties} for {@link KafkaBrokerMain}: node 1, broker and controller,
     * plaintext listeners on 127.0.0.1 at the given ports, data under {@code <home>/data}, one replica of
     * everything, no topic created unasked.
     */
    static void writeProperties(Path home, int brokerPort, int controllerPort) {
        Properties server = new Properties();
        server.put("process.roles", "broker,controller");
        server.put("node.id", "1");
        server.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        server.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        server.put("controller.listener.names", "CONTROLLER");
        server.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        server.put("inter.broker.listener.name", "PLAINTEXT");
        server.put("log.dirs", home.resolve("data").toString());
        server.put("auto.create.topics.enable", "false");
        server.put("offsets.topic.replication.factor", "1");
        server.put("transaction.state.log.replication.factor", "1");
        server.put("transaction.state.log.min.isr", "1");
        server.put("share.coordinator.state.topic.replication.factor", "1");
        server.put("share.coordinator.state.topic.min.isr", "1");
        server.put("group.initial.rebalance.delay.ms", "0");
        try {
            Files.createDirectories(home);
            try (var out = Files.newBufferedWriter(home.resolve("server.properties"), StandardCharsets.UTF_8)) {
                server.store(out, "written by KafkaBroker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The broker's process id, while it runs. */
    public long pid() {
        return child.pid();
    }

    /** Stops the broker (its JVM exits, closing the broker cleanly); its data stays. */
    public void stop() {
        if (child != null) {
            child.stop();
            child = null;
        }
    }

    /** Starts the broker (again) on the same ports and data, and waits until it answers. */
    public void restart() {
        stop();
        child = ChildJvm.start(
                List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir, "-Dfile.encoding=UTF-8"),
                KafkaBrokerMain.class,
                List.of(dir.resolve("server.properties").toString()),
                dir.resolve("broker.log"));
        try {
            awaitReady();
        } catch (RuntimeException e) {
            String tail = child.logTail();
            stop();
            throw new IllegalStateException(e.getMessage() + "; the broker's log:\n" + tail, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with code " + child.exitValue());
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    // not listening or not a broker yet
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Kafka broker started", e);
        }
        throw new IllegalStateException("the Kafka broker did not answer within " + READY_WITHIN.toSeconds() + " s");
    }

    /** An admin client of this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** Creates {@code topic} with {@code partitions} partitions (one replica each) and waits for it. */
    public void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, Map.of());
    }

    /** As {@link #createTopic(String, int)}, with topic configs ({@code max.message.bytes} ...). */
    public void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("creating topic " + topic + " failed", e);
        }
    }

    /** Raises the number of partitions of {@code topic} to {@code total}. */
    public void addPartitions(String topic, int total) {
        try (Admin admin = admin()) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(total)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("adding partitions to topic " + topic + " failed", e);
        }
    }

    /** A producer of byte keys and values to this broker (acks=all); the caller closes it. */
    public KafkaProducer<byte[], byte[]> producer() {
        return producer(Map.of());
    }

    /** As {@link #producer()}, with more producer settings ({@code max.request.size} ...). */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5));
        config.putAll(settings);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Produces {@code values} (UTF-8) to {@code partition} of {@code topic} in order, each with {@code
     * timestampMillis} (null: the producer's clock), and returns where each was written once all are.
     */
    public List<RecordMetadata> produce(String topic, int partition, Long timestampMillis, List<String> values) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (String value : values) {
                sent.add(producer.send(new ProducerRecord<>(
                        topic, partition, timestampMillis, null, value.getBytes(StandardCharsets.UTF_8))));
            }
            List<RecordMetadata> written = new ArrayList<>();
            for (Future<RecordMetadata> future : sent) {
                written.add(future.get(30, TimeUnit.SECONDS));
            }
            return written;
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + "-" + partition + " failed", e);
        }
    }

    /** What the broker has logged so far (all its runs). */
    public String logText() {
        return child == null ? "(stopped)" : child.logText();
    }

    /** Stops the broker, then deletes its directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            ChildJvm.deleteRecursively(dir);
        }
    }
}
