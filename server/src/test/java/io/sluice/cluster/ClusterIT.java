package io.sluice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.ExternalCommand;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Streams;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.ConcurrentModificationException;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamEncryptionStatus;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;
import software.amazon.awssdk.services.firehose.model.ServiceUnavailableException;
import software.amazon.awssdk.services.firehose.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Three Sluice nodes on one Kafka broker and one PostgreSQL server, each a child process: every node serves
 * every stream whichever node created it, changes are made once across nodes, and a peer briefly down
 * costs answers (503), never an acknowledged record.
 */
class ClusterIT {
    private static SluiceCluster cluster;
    private static final List<FirehoseClient> clients = new ArrayList<>();
    private static S3Client bucket;

    @BeforeAll
    static void start() throws Exception {
        cluster = SluiceCluster.start(3);
        for (int i = 0; i < cluster.size(); i++) {
            clients.add(cluster.node(i).client());
        }
        bucket = cluster.s3().client();
    }

    @AfterAll
    static void stop() throws Exception {
        clients.forEach(FirehoseClient::close);
        if (bucket != null) {
            bucket.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static FirehoseClient node(int index) {
        return clients.get(index);
    }

    private static void createOn(int index, String name, String prefix) {
        Streams.createS3(
                node(index),
                name,
                SluiceCluster.BUCKET,
                s -> s.prefix(prefix).bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
    }

    /**
     * The text of the objects under {@code prefix}. s3proxy's file store can list a key that a GET a moment
     * later does not find (seen once in CI while the nodes delivered): such a key is left for the next poll.
     */
    private static String delivered(String prefix) {
        StringBuilder text = new StringBuilder();
        bucket.listObjectsV2Paginator(b -> b.bucket(SluiceCluster.BUCKET).prefix(prefix))
                .contents()
                .forEach(o -> {
                    try {
                        text.append(bucket.getObjectAsBytes(
                                        b -> b.bucket(SluiceCluster.BUCKET).key(o.key()))
                                .asUtf8String());
                    } catch (NoSuchKeyException e) {
                        // not there yet, or not any more: the await polls again
                    }
                });
        return text.toString();
    }

    /** Every record value of every stream topic whose records were put encrypted or in clear, as text. */
    private static List<String> everyRecordInKafka() {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", cluster.kafka().bootstrapServers(),
                "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.listTopics().keySet().stream()
                    .filter(topic -> topic.startsWith("sluice."))
                    .map(topic -> new TopicPartition(topic, 0))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> values.add(new String(r.value(), StandardCharsets.ISO_8859_1)));
            }
        }
        return values;
    }

    @Test
    void aStreamCreatedOnOneNodeIsDescribedAndFedOnEveryOther() {
        createOn(0, "everywhere", "everywhere/");
        for (int i = 1; i < cluster.size(); i++) {
            Streams.awaitActiveFromAnotherNode(node(i), "everywhere");
        }
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String record = "record-" + i + "-via-node-" + (i % 3) + "\n";
            Streams.put(node(i % 3), "everywhere", record);
            sent.add(record.strip());
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(delivered("everywhere/").lines()).containsAll(sent));
        ExternalCommand.Result described = ExternalCommand.aws(
                cluster.node(2).endpoint().toString(),
                "firehose",
                "describe-delivery-stream",
                "--delivery-stream-name",
                "everywhere");
        assertThat(described.stdout())
                .contains("\"DeliveryStreamStatus\": \"ACTIVE\"")
                .contains("everywhere/");
    }

    @Test
    void ofTwoNodesUpdatingOneVersionAtOnceOneWinsAndTheOtherGetsConcurrentModification() throws Exception {
        createOn(0, "contested", "contested/");
        Streams.awaitActiveFromAnotherNode(node(1), "contested");
        var description = node(1).describeDeliveryStream(b -> b.deliveryStreamName("contested"))
                .deliveryStreamDescription();
        String version = description.versionId();
        String destination = description.destinations().get(0).destinationId();
        CyclicBarrier together = new CyclicBarrier(2);
        List<Callable<String>> updates = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int index = i;
            updates.add(() -> {
                together.await();
                try {
                    node(index)
                            .updateDestination(b -> b.deliveryStreamName("contested")
                                    .currentDeliveryStreamVersionId(version)
                                    .destinationId(destination)
                                    .extendedS3DestinationUpdate(u -> u.prefix("by-node-" + index + "/")));
                    return "updated";
                } catch (ConcurrentModificationException e) {
                    return e.awsErrorDetails().errorMessage();
                }
            });
        }
        List<String> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (Future<String> outcome : threads.invokeAll(updates)) {
                outcomes.add(outcome.get());
            }
        }
        assertThat(outcomes).containsOnlyOnce("updated");
        assertThat(outcomes)
                .anyMatch(m -> m.equals("Cannot update firehose: contested since the current version id: 2 and the"
                        + " specified version id: " + version + " do not match"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(node(2).describeDeliveryStream(b -> b.deliveryStreamName("contested"))
                                .deliveryStreamDescription()
                                .versionId())
                        .isEqualTo("2"));
    }

    @Test
    void tagsEncryptionAndDeletionOnOneNodeReachTheOthers() {
        createOn(1, "changing", "changing/");
        Streams.awaitActiveFromAnotherNode(node(0), "changing");
        node(2).tagDeliveryStream(b -> b.deliveryStreamName("changing")
                .tags(Tag.builder().key("team").value("data").build()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(node(0).listTagsForDeliveryStream(b -> b.deliveryStreamName("changing"))
                                .tags())
                        .containsExactly(Tag.builder().key("team").value("data").build()));

        node(0).startDeliveryStreamEncryption(b -> b.deliveryStreamName("changing")
                .deliveryStreamEncryptionConfigurationInput(e -> e.keyType("AWS_OWNED_CMK")));
        for (int i = 0; i < cluster.size(); i++) {
            FirehoseClient client = node(i);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> client.describeDeliveryStream(b -> b.deliveryStreamName("changing"))
                                    .deliveryStreamDescription()
                                    .deliveryStreamEncryptionConfiguration()
                                    .status()
                            == DeliveryStreamEncryptionStatus.ENABLED);
        }
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String record = "secret-" + i;
            var answer = node(i % 3)
                    .putRecord(b -> b.deliveryStreamName("changing")
                            .record(r -> r.data(SdkBytes.fromUtf8String(record + "\n"))));
            assertThat(answer.encrypted()).isTrue();
            sent.add(record);
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(delivered("changing/").lines()).containsAll(sent));
        assertThat(everyRecordInKafka()).isNotEmpty().noneMatch(value -> value.contains("secret-"));

        node(2).deleteDeliveryStream(b -> b.deliveryStreamName("changing"));
        for (int i = 0; i < cluster.size(); i++) {
            FirehoseClient client = node(i);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThatThrownBy(
                                    () -> client.describeDeliveryStream(b -> b.deliveryStreamName("changing")))
                            .isInstanceOf(ResourceNotFoundException.class));
        }
    }

    @Test
    void whileKafkaIsDownPutsAreRefusedWith503AndAfterwardsEveryAcknowledgedRecordIsDelivered() throws Exception {
        createOn(2, "kafka-outage", "kafka-outage/");
        Streams.awaitActiveFromAnotherNode(node(0), "kafka-outage");
        Streams.put(node(0), "kafka-outage", "before\n");
        cluster.kafka().stop();
        try {
            assertThatThrownBy(() -> Streams.put(node(0), "kafka-outage", "during\n"))
                    .isInstanceOf(ServiceUnavailableException.class)
                    .satisfies(e ->
                            assertThat(((FirehoseException) e).statusCode()).isEqualTo(503));
        } finally {
            cluster.kafka().restart();
        }
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .untilAsserted(() -> Streams.put(node(1), "kafka-outage", "after\n"));
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> assertThat(delivered("kafka-outage/").lines()).contains("before", "after"));
    }

    @Test
    void whilePostgresIsDownTheControlPlaneAnswers503PutsGoOnAndNothingIsLost() throws Exception {
        createOn(0, "postgres-outage", "postgres-outage/");
        Streams.awaitActiveFromAnotherNode(node(2), "postgres-outage");
        Streams.awaitActiveFromAnotherNode(node(1), "postgres-outage");
        cluster.postgres().stop();
        try {
            assertThatThrownBy(() -> node(1).tagDeliveryStream(b -> b.deliveryStreamName("postgres-outage")
                            .tags(Tag.builder().key("k").value("v").build())))
                    .isInstanceOf(ServiceUnavailableException.class);
            Streams.put(node(1), "postgres-outage", "while-postgres-is-down\n");
        } finally {
            cluster.postgres().start();
        }
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .untilAsserted(() -> node(1).tagDeliveryStream(b -> b.deliveryStreamName("postgres-outage")
                        .tags(Tag.builder().key("k").value("v").build())));
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(
                        () -> assertThat(delivered("postgres-outage/").lines()).contains("while-postgres-is-down"));
    }
}
