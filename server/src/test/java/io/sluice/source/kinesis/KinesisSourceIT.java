package io.sluice.source.kinesis;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.aws.AccessKeys;
import io.sluice.server.SluiceConfig;
import io.sluice.testing.KinesisServer;
import io.sluice.testing.KplAggregation;
import io.sluice.testing.KplAggregation.KinesisRecord;
import io.sluice.testing.LambdaInvokeServer;
import io.sluice.testing.LambdaInvokeServer.Reply;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Scrapes;
import io.sluice.testing.Streams;
import io.sluice.testing.TransformationAnswer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ScalingType;

/**
 * KinesisStreamAsSource streams read a real Kinesis-compatible server (kinesis-local), written to with the
 * AWS SDK and with AWS's own KPL aggregation library, and deliver to S3 (the local store) through a real
 * Sluice: every record once, in each shard's order, from the stream's creation on, KPL aggregates as their
 * user records, across a reshard, an outage of the Kinesis server and a restart of Sluice.
 */
class KinesisSourceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private static KinesisServer server;
    private static KinesisClient kinesis;
    private static LambdaInvokeServer lambda;
    private static RunningSluice sluice;
    private static FirehoseClient firehose;
    private static final List<JsonNode> events = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = KinesisServer.launch();
        kinesis = server.client();
        lambda = LambdaInvokeServer.start();
        lambda.function("unchanged", KinesisSourceIT::unchanged);
        sluice = startSluice();
        firehose = sluice.client();
    }

    /** A Sluice reading {@link #server}, polling idle shards every 100 ms, sending one batch at a time. */
    private static RunningSluice startSluice() {
        return RunningSluice.start(KinesisSourceIT::readingServer);
    }

    private static SluiceConfig readingServer(SluiceConfig config) {
        SluiceConfig.DeliverySettings delivery = config.delivery();
        return config.withDelivery(new SluiceConfig.DeliverySettings(
                delivery.s3(),
                1,
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                delivery.activePartitionsLimit(),
                delivery.httpEndpoint(),
                lambda.asDefaultEndpoint(),
                delivery.searchClusters(),
                delivery.splunk(),
                delivery.kafka(),
                KinesisConfig.of(server.endpoint(), AccessKeys.of(KinesisServer.ACCESS_KEY, KinesisServer.SECRET_KEY))
                        .withPollInterval(POLL)));
    }

    private static SluiceConfig readingTenAtATime(SluiceConfig config) {
        SluiceConfig reading = readingServer(config);
        return reading.withDelivery(
                reading.delivery().withKinesis(reading.delivery().kinesis().withRecordsPerCall(10)));
    }

    @AfterAll
    static void stop() {
        if (firehose != null) {
            firehose.close();
        }
        if (sluice != null) {
            sluice.close();
        }
        if (lambda != null) {
            lambda.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static synchronized Reply unchanged(JsonNode event) {
        events.add(event);
        return Reply.Ok.json(TransformationAnswer.to(event, TransformationAnswer::ok));
    }

    /** A Firehose stream reading Kinesis stream {@code source}, delivering each record as a line to bucket {@code name}. */
    private static void createFirehose(FirehoseClient client, String name, String source, Processor... more) {
        List<Processor> processors = new ArrayList<>(List.of(more));
        processors.add(Processor.builder().type("AppendDelimiterToRecord").build());
        client.createDeliveryStream(b -> b.deliveryStreamName(name)
                .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                .kinesisStreamSourceConfiguration(
                        k -> k.kinesisStreamARN(KinesisServer.streamArn(source)).roleARN(Streams.ROLE))
                .extendedS3DestinationConfiguration(ExtendedS3DestinationConfiguration.builder()
                        .roleARN(Streams.ROLE)
                        .bucketARN("arn:aws:s3:::" + name)
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .processingConfiguration(ProcessingConfiguration.builder()
                                .enabled(true)
                                .processors(processors)
                                .build())
                        .build()));
        Streams.awaitActive(client, name);
    }

    /** Puts each text as one record, in order, {@code partitionKey} giving each its key. */
    private static void put(
            String stream, List<String> texts, java.util.function.Function<String, String> partitionKey) {
        for (int from = 0; from < texts.size(); from += 100) {
            List<PutRecordsRequestEntry> entries = texts.subList(from, Math.min(texts.size(), from + 100)).stream()
                    .map(text -> PutRecordsRequestEntry.builder()
                            .partitionKey(partitionKey.apply(text))
                            .data(SdkBytes.fromUtf8String(text))
                            .build())
                    .toList();
            assertThat(kinesis.putRecords(b -> b.streamName(stream).records(entries))
                            .failedRecordCount())
                    .isZero();
        }
    }

    /** {@code key:index} texts, {@code count} per key. */
    private static List<String> texts(String prefix, int keys, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < keys; k++) {
                texts.add(prefix + "-" + k + ":" + i);
            }
        }
        return texts;
    }

    private static String keyOf(String text) {
        return text.substring(0, text.indexOf(':'));
    }

    /** The objects of {@code bucket} in the order they were written (delivery sends one batch at a time). */
    private static List<Path> objectsInWriteOrder(RunningSluice on, String bucket) {
        return Streams.localObjects(on.dataDir(), bucket).stream()
                .sorted(Comparator.comparing(KinesisSourceIT::modified))
                .toList();
    }

    private static java.nio.file.attribute.FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(RunningSluice on, String bucket) {
        // Latin-1 reads any bytes (a corrupt aggregate is binary); the records put are ASCII.
        return new String(bytes(on, bucket), ISO_8859_1).lines().toList();
    }

    private static byte[] bytes(RunningSluice on, String bucket) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path object : objectsInWriteOrder(on, bucket)) {
            try {
                all.write(Files.readAllBytes(object));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toByteArray();
    }

    private static List<String> awaitLines(RunningSluice on, String bucket, List<String> expected) {
        await().atMost(WAIT).until(() -> Set.copyOf(lines(on, bucket)).containsAll(expected));
        return lines(on, bucket);
    }

    /** Each key's records in the order they were put ({@code key:0}, {@code key:1}, ...), duplicates aside. */
    private static void assertOrderPerKey(List<String> lines) {
        Map<String, Integer> last = new HashMap<>();
        for (String line : lines) {
            int index = Integer.parseInt(line.substring(line.indexOf(':') + 1));
            Integer before = last.put(keyOf(line), index);
            assertThat(before == null || index == before + 1)
                    .as("%s after %s:%s", line, keyOf(line), before)
                    .isTrue();
        }
    }

    @Test
    void deliversEveryRecordPutAfterCreationInEachShardsOrder() {
        server.createStream(kinesis, "orders", 4);
        put("orders", texts("before", 4, 5), KinesisSourceIT::keyOf);
        createFirehose(firehose, "orders", "orders");
        List<String> expected = texts("key", 20, 20);
        put("orders", expected, KinesisSourceIT::keyOf);

        List<String> lines = awaitLines(sluice, "orders", expected);

        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
        assertOrderPerKey(lines);
        assertThat(kinesis.listShards(b -> b.streamName("orders")).shards()).hasSize(4);
        String scrape = Scrapes.scrape(sluice.endpoint());
        assertThat(Scrapes.streamValue(scrape, "firehose_DataReadFromKinesisStream_Records_total", "orders"))
                .isEqualTo(expected.size());
        assertThat(Scrapes.streamValue(scrape, "firehose_DataReadFromKinesisStream_Bytes_total", "orders"))
                .isEqualTo(expected.stream().mapToInt(String::length).sum());
        assertThat(scrape)
                .containsPattern("(?m)^firehose_KinesisMillisBehindLatest\\{[^}]*DeliveryStreamName=\"orders\"");
    }

    @Test
    void deAggregatesKplAggregatesAndPassesCorruptOnesThrough() {
        server.createStream(kinesis, "kpl", 2);
        createFirehose(firehose, "kpl", "kpl");
        List<KinesisRecord> users = IntStream.range(0, 30)
                .mapToObj(i -> new KinesisRecord("user-" + (i % 3), ("user:" + i).getBytes(UTF_8)))
                .toList();
        List<KinesisRecord> aggregates = KplAggregation.aggregate(users);
        assertThat(aggregates).hasSize(1);
        byte[] corrupt = KplAggregation.aggregate(List.of(
                        new KinesisRecord("c", "corrupt:0".getBytes(UTF_8)),
                        new KinesisRecord("c", "corrupt:1".getBytes(UTF_8))))
                .getFirst()
                .data();
        corrupt[corrupt.length - 1] ^= 0x01;
        for (KinesisRecord record : aggregates) {
            kinesis.putRecord(b -> b.streamName("kpl")
                    .partitionKey(record.partitionKey())
                    .data(SdkBytes.fromByteArray(record.data())));
        }
        kinesis.putRecord(b -> b.streamName("kpl").partitionKey("c").data(SdkBytes.fromByteArray(corrupt)));
        kinesis.putRecord(b -> b.streamName("kpl").partitionKey("plain").data(SdkBytes.fromUtf8String("plain:0")));

        List<String> expected = new ArrayList<>(
                users.stream().map(u -> new String(u.data(), UTF_8)).toList());
        expected.add("plain:0");
        awaitLines(sluice, "kpl", expected);
        await().atMost(WAIT).until(() -> indexOf(bytes(sluice, "kpl"), corrupt) >= 0);

        byte[] delivered = bytes(sluice, "kpl");
        int at = indexOf(delivered, corrupt);
        assertThat(delivered[at + corrupt.length]).isEqualTo((byte) '\n');
        assertThat(indexOf(Arrays.copyOfRange(delivered, at + 1, delivered.length), corrupt))
                .as("the corrupt aggregate once")
                .isNegative();
        assertThat(lines(sluice, "kpl")).containsAll(expected).doesNotContain("corrupt:0", "corrupt:1");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aReshardDuringDeliveryLosesNothingAndKeepsEachKeysOrder() throws Exception {
        server.createStream(kinesis, "reshard", 2);
        createFirehose(firehose, "reshard", "reshard");
        List<String> expected = texts("k", 16, 60);
        AtomicBoolean resharded = new AtomicBoolean();
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int from = 0; from < expected.size(); from += 32) {
                put("reshard", expected.subList(from, from + 32), KinesisSourceIT::keyOf);
                if (from == expected.size() / 2) {
                    kinesis.updateShardCount(
                            b -> b.streamName("reshard").targetShardCount(4).scalingType(ScalingType.UNIFORM_SCALING));
                    KinesisServer.awaitActive(kinesis, "reshard");
                    resharded.set(true);
                }
            }
        });
        producer.join();

        List<String> lines = awaitLines(sluice, "reshard", expected);

        assertThat(resharded).isTrue();
        assertThat(kinesis.listShards(b -> b.streamName("reshard")).shards())
                .as("parents and children")
                .hasSizeGreaterThan(4);
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
        assertOrderPerKey(lines);
    }

    /**
     * Both generations have records to read when reading resumes, ten records a call: a child read before its
     * parent is finished would deliver some of a key's records before older ones.
     */
    @Test
    void aReshardWhileSluiceIsDownIsReadParentsFirst() {
        try (RunningSluice own = RunningSluice.start(KinesisSourceIT::readingTenAtATime)) {
            server.createStream(kinesis, "backlog", 2);
            try (FirehoseClient client = own.client()) {
                createFirehose(client, "backlog", "backlog");
            }
            List<String> expected = texts("k", 16, 30);
            int third = expected.size() / 3;
            put("backlog", expected.subList(0, third), KinesisSourceIT::keyOf);
            awaitLines(own, "backlog", expected.subList(0, third));
            own.stopServer();
            put("backlog", expected.subList(third, 2 * third), KinesisSourceIT::keyOf);
            kinesis.updateShardCount(
                    b -> b.streamName("backlog").targetShardCount(4).scalingType(ScalingType.UNIFORM_SCALING));
            KinesisServer.awaitActive(kinesis, "backlog");
            put("backlog", expected.subList(2 * third, expected.size()), KinesisSourceIT::keyOf);
            own.restart();

            List<String> lines = awaitLines(own, "backlog", expected);

            assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
            assertOrderPerKey(lines);
        }
    }

    @Test
    void aLambdaProcessorSeesEachRecordsKinesisMetadata() throws Exception {
        server.createStream(kinesis, "meta", 2);
        createFirehose(
                firehose,
                "meta",
                "meta",
                Processor.builder()
                        .type("Lambda")
                        .parameters(ProcessorParameter.builder()
                                .parameterName("LambdaArn")
                                .parameterValue(LambdaInvokeServer.arn("us-east-1", "unchanged"))
                                .build())
                        .build());
        PutRecordResponse plain = kinesis.putRecord(
                b -> b.streamName("meta").partitionKey("p").data(SdkBytes.fromUtf8String("meta:plain")));
        KinesisRecord aggregate = KplAggregation.aggregate(List.of(
                        new KinesisRecord("a0", "meta:agg0".getBytes(UTF_8)),
                        new KinesisRecord("a1", "meta:agg1".getBytes(UTF_8))))
                .getFirst();
        PutRecordResponse aggregated = kinesis.putRecord(b -> b.streamName("meta")
                .partitionKey(aggregate.partitionKey())
                .data(SdkBytes.fromByteArray(aggregate.data())));

        awaitLines(sluice, "meta", List.of("meta:plain", "meta:agg0", "meta:agg1"));

        Map<String, JsonNode> metadata = new LinkedHashMap<>();
        synchronized (KinesisSourceIT.class) {
            for (JsonNode event : events) {
                if (event.path("sourceKinesisStreamArn").asText().equals(KinesisServer.streamArn("meta"))) {
                    for (JsonNode record : event.get("records")) {
                        metadata.put(
                                new String(
                                        java.util.Base64.getDecoder()
                                                .decode(record.get("data").asText()),
                                        UTF_8),
                                record.get("kinesisRecordMetadata"));
                    }
                }
            }
        }
        assertThat(metadata).containsOnlyKeys("meta:plain", "meta:agg0", "meta:agg1");
        assertMetadata(metadata.get("meta:plain"), plain, "p", 0);
        assertMetadata(metadata.get("meta:agg0"), aggregated, "a0", 0);
        assertMetadata(metadata.get("meta:agg1"), aggregated, "a1", 1);
    }

    private static void assertMetadata(JsonNode metadata, PutRecordResponse put, String partitionKey, int subsequence) {
        assertThat(metadata.get("shardId").asText()).isEqualTo(put.shardId());
        assertThat(metadata.get("partitionKey").asText()).isEqualTo(partitionKey);
        assertThat(metadata.get("sequenceNumber").asText()).isEqualTo(put.sequenceNumber());
        assertThat(metadata.get("subsequenceNumber").asInt()).isEqualTo(subsequence);
        assertThat(metadata.get("approximateArrivalTimestamp").asLong()).isPositive();
    }

    @Test
    void theKinesisServerDownForAWhileLosesNothing() throws Exception {
        server.createStream(kinesis, "outage", 2);
        createFirehose(firehose, "outage", "outage");
        List<String> before = texts("before", 4, 10);
        put("outage", before, KinesisSourceIT::keyOf);
        Thread.sleep(KinesisServer.PERSIST_INTERVAL.multipliedBy(5));
        server.stop();
        Thread.sleep(3_000);
        server.start();
        List<String> after = texts("after", 4, 10);
        put("outage", after, KinesisSourceIT::keyOf);

        List<String> lines = awaitLines(
                sluice, "outage", Stream.concat(before.stream(), after.stream()).toList());

        assertThat(Set.copyOf(lines)).hasSize(before.size() + after.size());
    }

    @Test
    void deletingTheFirehoseStreamStopsReading() throws Exception {
        try (RunningSluice own = startSluice();
                FirehoseClient client = own.client()) {
            server.createStream(kinesis, "deleted", 1);
            createFirehose(client, "deleted", "deleted");
            List<String> first = texts("first", 2, 5);
            put("deleted", first, KinesisSourceIT::keyOf);
            awaitLines(own, "deleted", first);
            Path checkpoints = own.dataDir().resolve("sources");
            assertThat(files(checkpoints)).hasSize(1);

            client.deleteDeliveryStream(b -> b.deliveryStreamName("deleted"));
            await().atMost(WAIT).until(() -> files(checkpoints).isEmpty());
            put("deleted", texts("later", 2, 5), KinesisSourceIT::keyOf);
            Thread.sleep(POLL.multipliedBy(20).toMillis());

            assertThat(files(checkpoints)).isEmpty();
            assertThat(lines(own, "deleted")).containsExactlyInAnyOrderElementsOf(first);
        }
    }

    private static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRestartedSluiceResumesFromItsCheckpoint() {
        try (RunningSluice own = startSluice()) {
            server.createStream(kinesis, "resumed", 2);
            try (FirehoseClient client = own.client()) {
                createFirehose(client, "resumed", "resumed");
            }
            List<String> first = texts("first", 4, 10);
            put("resumed", first, KinesisSourceIT::keyOf);
            awaitLines(own, "resumed", first);

            own.restart();
            List<String> second = texts("second", 4, 10);
            put("resumed", second, KinesisSourceIT::keyOf);
            List<String> lines = awaitLines(
                    own,
                    "resumed",
                    Stream.concat(first.stream(), second.stream()).toList());

            Map<String, Long> counts = lines.stream().collect(Collectors.groupingBy(l -> l, Collectors.counting()));
            assertThat(first.stream().filter(line -> counts.get(line) > 1))
                    .as("records read again after the restart")
                    .isEmpty();
        }
    }
}
