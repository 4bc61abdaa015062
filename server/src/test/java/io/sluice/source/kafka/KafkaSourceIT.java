package io.sluice.source.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.source.SourceContext;
import io.sluice.testing.KafkaBroker;
import io.sluice.testing.LambdaInvokeServer;
import io.sluice.testing.LambdaInvokeServer.Reply;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Scrapes;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Connectivity;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/**
 * MSKAsSource streams through Sluice's API with the AWS SDK, reading topics of a real Kafka broker (KRaft,
 * in a child JVM) and delivering to the local S3 store: every partition in order, from where the stream
 * says, across a broker outage (logged once) and a Sluice restart, with the MSK fields in Lambda events; a deleted stream
 * stops its consumer. Records are lines {@code <topic>-<partition>-<n>}.
 */
class KafkaSourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String CLUSTER = "arn:aws:kafka:us-east-1:123456789012:cluster/local/abcd-1234";
    private static final String BUCKET = "from-kafka";

    private static Path dir;
    private static KafkaBroker broker;
    private static LambdaInvokeServer lambda;
    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("kafka-source-");
        broker = KafkaBroker.start(dir.resolve("broker"));
        lambda = LambdaInvokeServer.start();
        lambda.function("upper", KafkaSourceIT::upperCase);
        sluice = RunningSluice.start(config -> config.withDelivery(config.delivery()
                .withFunctions(lambda.asDefaultEndpoint())
                .withKafka(KafkaClusters.at(broker.bootstrapServers()))));
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (firehose != null) {
            firehose.close();
        }
        if (sluice != null) {
            sluice.close();
        }
        if (lambda != null) {
            lambda.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void deliversEveryPartitionInOrderFromTheStreamsCreationAndNewPartitionsToo() {
        broker.createTopic("orders", 4);
        long anHourAgo = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        for (int p = 0; p < 4; p++) {
            broker.produce("orders", p, anHourAgo, List.of("before-" + p + "\n"));
        }
        create("orders-stream", "orders", Optional.empty(), Optional.empty());
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            expected.addAll(produceLines("orders", p, 0, 50));
        }
        await().atMost(WAIT).until(() -> lines("orders-stream").containsAll(expected));

        broker.addPartitions("orders", 5);
        expected.addAll(produceLines("orders", 4, 0, 10));
        await().atMost(WAIT).until(() -> lines("orders-stream").containsAll(expected));

        List<String> delivered = lines("orders-stream");
        assertThat(delivered).noneMatch(line -> line.startsWith("before-"));
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(expected);
        for (List<String> object : objects("orders-stream")) {
            for (int p = 0; p < 5; p++) {
                String prefix = "orders-" + p + "-";
                List<Integer> numbers = object.stream()
                        .filter(line -> line.startsWith(prefix))
                        .map(line -> Integer.parseInt(line.substring(prefix.length())))
                        .toList();
                assertThat(numbers).as("partition %d in order in %s", p, object).isSorted();
            }
        }
        String scrape = Scrapes.scrape(sluice.endpoint());
        assertThat(Scrapes.streamValue(scrape, "firehose_DataReadFromSource_Records_total", "orders-stream"))
                .isEqualTo(210);
        assertThat(Scrapes.streamValue(scrape, "firehose_DataReadFromSource_Bytes_total", "orders-stream"))
                .isEqualTo(expected.stream().mapToInt(line -> line.length() + 1).sum());
        assertThat(scrape).contains("firehose_KafkaOffsetLag{").contains("DeliveryStreamName=\"orders-stream\"");
    }

    @Test
    void readFromTimestampAtTheEpochReadsEverythingAndLaterReadsFromThatTime() {
        broker.createTopic("history", 2);
        Instant start = Instant.now().minus(Duration.ofHours(1));
        for (int p = 0; p < 2; p++) {
            for (int n = 0; n < 10; n++) {
                broker.produce(
                        "history",
                        p,
                        start.plus(Duration.ofMinutes(n)).toEpochMilli(),
                        List.of("history-" + p + "-" + n + "\n"));
            }
        }
        create("history-all", "history", Optional.of(Instant.EPOCH), Optional.empty());
        create("history-late", "history", Optional.of(start.plus(Duration.ofMinutes(5))), Optional.empty());
        List<String> all = new ArrayList<>();
        List<String> late = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            for (int n = 0; n < 10; n++) {
                all.add("history-" + p + "-" + n);
                if (n >= 5) {
                    late.add("history-" + p + "-" + n);
                }
            }
        }
        await().atMost(WAIT).until(() -> lines("history-all").size() >= all.size());
        await().atMost(WAIT).until(() -> lines("history-late").size() >= late.size());
        assertThat(lines("history-all")).containsExactlyInAnyOrderElementsOf(all);
        assertThat(lines("history-late")).containsExactlyInAnyOrderElementsOf(late);
    }

    @Test
    void aBrokerDownForAWhileLosesNothingAndReadingResumes() throws Exception {
        broker.createTopic("outage", 2);
        create("outage-stream", "outage", Optional.of(Instant.EPOCH), Optional.empty());
        List<String> expected = new ArrayList<>();
        expected.addAll(produceLines("outage", 0, 0, 20));
        expected.addAll(produceLines("outage", 1, 0, 20));
        await().atMost(WAIT).until(() -> lines("outage-stream").containsAll(expected));

        Logger sources = (Logger) LoggerFactory.getLogger(SourceContext.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        sources.addAppender(events);
        try {
            broker.stop();
            // Longer than the reader waits for an answer (TopicReader.CALL_TIMEOUT): the read fails and is retried.
            Thread.sleep(TopicReader.CALL_TIMEOUT.plusSeconds(3).toMillis());
            broker.restart();

            expected.addAll(produceLines("outage", 0, 20, 20));
            expected.addAll(produceLines("outage", 1, 20, 20));
            await().atMost(WAIT).until(() -> lines("outage-stream").containsAll(expected));
        } finally {
            sources.detachAppender(events);
        }
        assertThat(lines("outage-stream")).containsExactlyInAnyOrderElementsOf(expected);
        List<String> logged = events.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("delivery stream outage-stream "))
                .toList();
        assertThat(logged)
                .as("the outage logged once when it began and once when it ended")
                .satisfiesExactly(
                        failed -> assertThat(failed).contains("failed; retrying with backoff", CLUSTER),
                        recovered -> assertThat(recovered).contains("is reachable again"));
    }

    @Test
    void aLambdaProcessorGetsTheClusterTheValuesAndTheirPartitionsAndOffsets() throws Exception {
        broker.createTopic("events", 2);
        create("events-stream", "events", Optional.of(Instant.EPOCH), Optional.of(lambdaProcessing()));
        long timestamp = Instant.now().minusSeconds(30).toEpochMilli();
        List<RecordMetadata> written = new ArrayList<>();
        written.addAll(broker.produce("events", 0, timestamp, List.of("a0", "b0", "c0")));
        written.addAll(broker.produce("events", 1, timestamp, List.of("a1", "b1")));
        await().atMost(WAIT).until(() -> lines("events-stream").size() >= 5);
        assertThat(lines("events-stream")).containsExactlyInAnyOrder("A0", "B0", "C0", "A1", "B1");

        List<String> seen = new ArrayList<>();
        for (LambdaInvokeServer.Invocation invocation : lambda.invocations()) {
            JsonNode event = JSON.readTree(invocation.body());
            if (!event.path("deliveryStreamArn").asText().endsWith("/events-stream")) {
                continue;
            }
            assertThat(event.path("sourceMSKArn").asText()).isEqualTo(CLUSTER);
            for (JsonNode record : event.path("records")) {
                assertThat(record.has("data")).isFalse();
                JsonNode metadata = record.path("mskRecordMetadata");
                assertThat(metadata.path("approximateArrivalTimestamp").asLong())
                        .isEqualTo(timestamp);
                assertThat(record.path("approximateArrivalTimestamp").asLong()).isEqualTo(timestamp);
                seen.add(value(record) + "@" + metadata.path("partitionId").asText() + ":"
                        + metadata.path("offset").asText());
            }
        }
        List<String> expected = new ArrayList<>();
        List<String> values = List.of("a0", "b0", "c0", "a1", "b1");
        for (int i = 0; i < written.size(); i++) {
            expected.add(values.get(i) + "@" + written.get(i).partition() + ":"
                    + written.get(i).offset());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** AWS's limit for a record read from MSK is 10 MB: a larger one is skipped, and reading goes on past it. */
    @Test
    void aRecordOverTenMebibytesIsSkippedAndReadingGoesOn() throws Exception {
        int large = (int) KafkaConnector.MAX_RECORD.bytes() + 1;
        broker.createTopic("large", 1, Map.of("max.message.bytes", Integer.toString(large + 1024)));
        create("large-stream", "large", Optional.of(Instant.EPOCH), Optional.empty());
        try (KafkaProducer<byte[], byte[]> producer =
                broker.producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, large + 4096))) {
            producer.send(new ProducerRecord<>("large", 0, null, "small-0\n".getBytes(UTF_8)))
                    .get();
            producer.send(new ProducerRecord<>("large", 0, null, new byte[large]))
                    .get();
            producer.send(new ProducerRecord<>("large", 0, null, "small-2\n".getBytes(UTF_8)))
                    .get();
        }
        await().atMost(WAIT).until(() -> lines("large-stream").contains("small-2"));
        assertThat(lines("large-stream")).containsExactlyInAnyOrder("small-0", "small-2");
        assertThat(Scrapes.streamValue(
                        Scrapes.scrape(sluice.endpoint()), "firehose_DataReadFromSource_Records_total", "large-stream"))
                .isEqualTo(2);
    }

    @Test
    void aRestartedSluiceResumesFromItsCheckpoints() {
        broker.createTopic("resumed", 1);
        create("resumed-stream", "resumed", Optional.of(Instant.EPOCH), Optional.empty());
        List<String> expected = new ArrayList<>(produceLines("resumed", 0, 0, 10));
        await().atMost(WAIT).until(() -> lines("resumed-stream").containsAll(expected));

        restartSluice();
        expected.addAll(produceLines("resumed", 0, 10, 10));
        await().atMost(WAIT).until(() -> lines("resumed-stream").containsAll(expected));
        assertThat(lines("resumed-stream")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void deletingTheStreamStopsItsConsumer() throws Exception {
        broker.createTopic("dropped", 1);
        create("dropped-stream", "dropped", Optional.of(Instant.EPOCH), Optional.empty());
        List<String> expected = produceLines("dropped", 0, 0, 3);
        await().atMost(WAIT).until(() -> lines("dropped-stream").containsAll(expected));
        ObjectName consumer = new ObjectName("kafka.consumer:type=consumer-metrics,client-id=sluice-dropped-stream");
        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(consumer, null))
                .hasSize(1);
        assertThat(readerThreads("dropped-stream")).hasSize(1);

        firehose.deleteDeliveryStream(b -> b.deliveryStreamName("dropped-stream"));
        await().atMost(WAIT).until(() -> {
            try {
                firehose.describeDeliveryStream(b -> b.deliveryStreamName("dropped-stream"));
                return false;
            } catch (ResourceNotFoundException gone) {
                return true;
            }
        });
        await().atMost(WAIT)
                .until(() -> ManagementFactory.getPlatformMBeanServer()
                                .queryNames(consumer, null)
                                .isEmpty()
                        && readerThreads("dropped-stream").isEmpty());
    }

    private static List<Thread> readerThreads(String stream) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("source-" + stream) && thread.isAlive())
                .toList();
    }

    private static void restartSluice() {
        firehose.close();
        sluice.restart();
        firehose = sluice.client();
    }

    /** Produces lines {@code <topic>-<partition>-<n>} for n from {@code first}, returns them without newline. */
    private static List<String> produceLines(String topic, int partition, int first, int count) {
        List<String> lines = IntStream.range(first, first + count)
                .mapToObj(n -> topic + "-" + partition + "-" + n)
                .toList();
        broker.produce(
                topic, partition, null, lines.stream().map(line -> line + "\n").toList());
        return lines;
    }

    private static void create(
            String stream, String topic, Optional<Instant> readFrom, Optional<ProcessingConfiguration> processing) {
        ExtendedS3DestinationConfiguration.Builder s3 = ExtendedS3DestinationConfiguration.builder()
                .roleARN(Streams.ROLE)
                .bucketARN("arn:aws:s3:::" + BUCKET)
                .prefix(stream + "/")
                .errorOutputPrefix("errors/" + stream + "/")
                .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0));
        processing.ifPresent(s3::processingConfiguration);
        firehose.createDeliveryStream(b -> b.deliveryStreamName(stream)
                .deliveryStreamType(DeliveryStreamType.MSK_AS_SOURCE)
                .mskSourceConfiguration(m -> {
                    m.mskClusterARN(CLUSTER)
                            .topicName(topic)
                            .authenticationConfiguration(
                                    a -> a.roleARN(Streams.ROLE).connectivity(Connectivity.PUBLIC));
                    readFrom.ifPresent(m::readFromTimestamp);
                })
                .extendedS3DestinationConfiguration(s3.build()));
        Streams.awaitActive(firehose, stream);
    }

    /** The lines delivered for {@code stream} (under its prefix). */
    private static List<String> lines(String stream) {
        return objects(stream).stream().flatMap(List::stream).toList();
    }

    /** The lines of each object delivered for {@code stream}. */
    private static List<List<String>> objects(String stream) {
        List<List<String>> objects = new ArrayList<>();
        for (Path object : Streams.localObjects(sluice.dataDir(), BUCKET)) {
            if (Streams.key(sluice.dataDir(), BUCKET, object).startsWith(stream + "/")) {
                try {
                    objects.add(Files.readString(object, UTF_8).lines().toList());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return objects;
    }

    private static ProcessingConfiguration lambdaProcessing() {
        return ProcessingConfiguration.builder()
                .enabled(true)
                .processors(
                        Processor.builder()
                                .type("Lambda")
                                .parameters(ProcessorParameter.builder()
                                        .parameterName("LambdaArn")
                                        .parameterValue(LambdaInvokeServer.arn("us-east-1", "upper"))
                                        .build())
                                .build(),
                        Processor.builder().type("AppendDelimiterToRecord").build())
                .build();
    }

    private static String value(JsonNode record) {
        return new String(
                Base64.getDecoder().decode(record.path("kafkaRecordValue").asText()), UTF_8);
    }

    /** Answers every record {@code Ok} with its {@code kafkaRecordValue} upper-cased. */
    private static Reply upperCase(JsonNode event) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ArrayNode records = answer.putArray("records");
        for (JsonNode record : event.path("records")) {
            records.addObject()
                    .put("recordId", record.path("recordId").asText())
                    .put("result", "Ok")
                    .put(
                            "data",
                            Base64.getEncoder()
                                    .encodeToString(value(record)
                                            .toUpperCase(Locale.ROOT)
                                            .getBytes(UTF_8)));
        }
        return Reply.Ok.json(answer);
    }
}
