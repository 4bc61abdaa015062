package io.sluice.log.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import io.sluice.log.LogRecord;
import io.sluice.log.LogWriteException;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.testing.KafkaBroker;
import io.sluice.testing.RunningSluice;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kafka log's own promises, on a real broker: what several nodes appending to one stream see. */
class KafkaRecordLogIT {
    private static Path brokerDir;
    private static KafkaBroker broker;
    private final MemoryCommittedOffsets committed = new MemoryCommittedOffsets();
    private String prefix;

    @BeforeAll
    static void startBroker() throws Exception {
        brokerDir = Files.createTempDirectory("sluice-kafka-log-it-");
        broker = KafkaBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        RunningSluice.deleteRecursively(brokerDir);
    }

    @BeforeEach
    void newPrefix() {
        prefix = "it-" + UUID.randomUUID() + ".";
    }

    private KafkaRecordLog node() {
        return KafkaRecordLog.open(KafkaRecordLogContractTest.settings(broker, prefix), committed);
    }

    private static AppendRecord record(String text, int flags) {
        return new AppendRecord(ByteBuffer.wrap(text.getBytes(UTF_8)), 1_000 + flags, flags);
    }

    @Test
    void batchesOfTwoNodesAppendingAtOnceStayWholeAndInOrder() throws Exception {
        StreamKey stream = new StreamKey(UUID.randomUUID().toString());
        try (KafkaRecordLog a = node();
                KafkaRecordLog b = node();
                ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Callable<List<AppendResult>>> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                KafkaRecordLog log = p % 2 == 0 ? a : b;
                String name = "p" + p;
                SplittableRandom random = new SplittableRandom(p);
                producers.add(() -> {
                    List<AppendResult> results = new ArrayList<>();
                    for (int batch = 0; batch < 25; batch++) {
                        List<AppendRecord> records = new ArrayList<>();
                        int size = random.nextInt(1, 40);
                        for (int i = 0; i < size; i++) {
                            records.add(record(name + "/" + batch + "/" + i, i % 256));
                        }
                        results.add(log.append(stream, records));
                    }
                    return results;
                });
            }
            List<AppendResult> appended = new ArrayList<>();
            for (Future<List<AppendResult>> results : threads.invokeAll(producers)) {
                appended.addAll(results.get());
            }
            List<LogRecord> read = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            try (StreamReader reader = a.openReader(stream, 0)) {
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    read.add(next.get());
                    texts.add(new String(next.get().payloadBytes(), UTF_8));
                }
            }
            assertThat(read)
                    .hasSize(appended.stream()
                            .mapToInt(AppendResult::recordCount)
                            .sum());
            assertThat(read.stream().map(LogRecord::offset).toList()).isSorted().doesNotHaveDuplicates();
            for (AppendResult result : appended) {
                int at = Collections.binarySearch(
                        read.stream().map(LogRecord::offset).toList(), result.firstOffset());
                assertThat(at).isNotNegative();
                String[] first = texts.get(at).split("/");
                for (int i = 0; i < result.recordCount(); i++) {
                    LogRecord record = read.get(at + i);
                    assertThat(record.offset()).isEqualTo(result.firstOffset() + i);
                    assertThat(texts.get(at + i)).isEqualTo(first[0] + "/" + first[1] + "/" + i);
                    assertThat(record.flags()).isEqualTo(i % 256);
                    assertThat(record.arrivalMillis()).isEqualTo(1_000 + i % 256);
                }
            }
        }
    }

    @Test
    void aNodeStartingLaterReadsFromTheCommittedOffset() throws Exception {
        StreamKey stream = new StreamKey(UUID.randomUUID().toString());
        AppendResult second;
        try (KafkaRecordLog log = node()) {
            log.append(stream, List.of(record("one", 0), record("two", 0)));
            second = log.append(stream, List.of(record("three", 0)));
            try (StreamReader reader = log.openReader(stream)) {
                reader.next();
                reader.next();
                log.commit(stream, reader.position());
            }
        }
        try (KafkaRecordLog restarted = node();
                StreamReader reader = restarted.openReader(stream)) {
            LogRecord next = reader.next().orElseThrow();
            assertThat(next.offset()).isEqualTo(second.firstOffset());
            assertThat(new String(next.payloadBytes(), UTF_8)).isEqualTo("three");
            restarted.append(stream, List.of(record("four", 0)));
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.peek().isPresent());
            assertThat(new String(reader.next().orElseThrow().payloadBytes(), UTF_8))
                    .isEqualTo("four");
        }
    }

    @Test
    void aDeletedStreamsTopicIsGoneAndItsKeyRefused() throws Exception {
        StreamKey stream = new StreamKey(UUID.randomUUID().toString());
        try (KafkaRecordLog log = node()) {
            log.append(stream, List.of(record("doomed", 0)));
            log.commit(stream, 1);
            log.deleteStream(stream);
            log.deleteStream(stream);
            assertThatThrownBy(() -> log.append(stream, List.of(record("late", 0))))
                    .isInstanceOf(StreamDeletedException.class);
            assertThatThrownBy(() -> log.openReader(stream)).isInstanceOf(StreamDeletedException.class);
            assertThat(committed.committed(stream)).isZero();
            try (Admin admin = broker.admin()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !admin.listTopics().names().get().contains(log.topic(stream)));
            }
        }
    }

    @Test
    void aBatchLargerThanTheLogTakesIsRefusedWholeAndNothingIsStored() throws Exception {
        StreamKey stream = new StreamKey(UUID.randomUUID().toString());
        try (KafkaRecordLog log = node()) {
            List<AppendRecord> tooMany = Collections.nCopies(PutBatches.MAX_RECORDS + 1, record("x", 0));
            assertThatThrownBy(() -> log.append(stream, tooMany)).isInstanceOf(IllegalArgumentException.class);
            AppendRecord big = new AppendRecord(ByteBuffer.allocate(PutBatches.MAX_BYTES), 1, 0);
            assertThatThrownBy(() -> log.append(stream, List.of(big))).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.offsets(stream)).isEmpty();
        }
    }

    /** Records read from a source may have arrived long ago: retention counts from Kafka's append instead. */
    @Test
    void topicsKeepRecordsForTheRetentionFromWhenKafkaAppendedThem() throws Exception {
        StreamKey stream = new StreamKey(UUID.randomUUID().toString());
        try (KafkaRecordLog log = node()) {
            log.append(stream, List.of(record("arrived in 1970", 0)));
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, log.topic(stream));
            Config config;
            try (Admin admin = broker.admin()) {
                config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            }
            assertThat(config.get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
            assertThat(config.get("retention.ms").value())
                    .isEqualTo(Long.toString(Duration.ofHours(24).toMillis()));
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
            try (StreamReader reader = log.openReader(stream, 0)) {
                assertThat(reader.next().orElseThrow().arrivalMillis()).isEqualTo(1_000);
            }
        }
    }

    @Test
    void aStreamKeyThatIsNoTopicNameGetsAHashedTopic() {
        try (KafkaRecordLog log = node()) {
            assertThat(log.topic(new StreamKey("a stream/with:odd chars")))
                    .startsWith(prefix)
                    .matches("[a-zA-Z0-9._-]+")
                    .hasSize(prefix.length() + 64);
        }
    }

    @Test
    void whileKafkaIsDownAppendsFailWithinTheTimeoutAndAfterwardsSucceed() throws Exception {
        StreamKey stream = new StreamKey(UUID.randomUUID().toString());
        try (KafkaRecordLog log = node()) {
            log.append(stream, List.of(record("before", 0)));
            broker.stop();
            try {
                long started = System.nanoTime();
                assertThatThrownBy(() -> log.append(stream, List.of(record("during", 0))))
                        .isInstanceOf(LogWriteException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            } finally {
                broker.restart();
            }
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> log.append(stream, List.of(record("after", 0))) != null);
            List<String> texts = new ArrayList<>();
            try (StreamReader reader = log.openReader(stream, 0)) {
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    texts.add(new String(next.get().payloadBytes(), UTF_8));
                }
            }
            assertThat(texts).contains("before", "after");
        }
    }
}
