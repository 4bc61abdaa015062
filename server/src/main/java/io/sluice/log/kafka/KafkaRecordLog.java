package io.sluice.log.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import io.sluice.log.LogClosedException;
import io.sluice.log.LogWriteException;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamOffsets;
import io.sluice.log.StreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The record log on Apache Kafka: a topic per stream ({@code <prefix><stream key>}, or the prefix and
 * the key's SHA-256 in hex when the key is not a legal topic name), one partition, each appended batch one
 * Kafka record ({@link PutBatches}), so a batch is stored whole or not at all and batches appended by
 * several nodes at once never interleave. A record's offset is its Kafka record's offset times 65,536 plus
 * its index in the batch: increasing, with gaps between batches. A batch is durable when Kafka acknowledged
 * it with {@code acks=all} from an idempotent producer; committed offsets are kept in {@link
 * CommittedOffsets}. Topics are created on first use with the log's retention ({@code retention.ms}), room
 * for the largest batch and Kafka's append time as each record's timestamp (records read from a source may
 * have arrived days ago: their own time would have retention drop them before delivery; the arrival times
 * stay in the batch), and deleted with their stream. An append that timed out may still have reached Kafka
 * (only its answer was lost): its put was not acknowledged, and a client's retry delivers the records twice,
 * at least once as ever. Thread-safe.
 */
public final class KafkaRecordLog implements RecordLog {
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_TOPIC = 249;
    /** Room for the largest batch and Kafka's record overhead. */
    private static final int MAX_MESSAGE_BYTES = PutBatches.MAX_BYTES + 1024 * 1024;

    private static final int PRODUCERS = 4;

    /**
     * @param client Kafka client properties: {@code bootstrap.servers} and any security settings
     * @param topicPrefix the start of every stream's topic
     * @param replicationFactor of the topics created; empty: the brokers' default
     * @param retention how long Kafka keeps a stream's records ({@code retention.ms})
     * @param timeout how long an append, a topic's creation or deletion may take before it fails (the
     *     caller answers "retry later")
     */
    public record Settings(
            Map<String, String> client,
            String topicPrefix,
            Optional<Short> replicationFactor,
            Duration retention,
            Duration timeout) {
        public Settings {
            client = Map.copyOf(client);
            requireNonNull(topicPrefix, "topicPrefix is null");
            requireNonNull(replicationFactor, "replicationFactor is null");
            requireNonNull(retention, "retention is null");
            requireNonNull(timeout, "timeout is null");
            if (!client.containsKey("bootstrap.servers")) {
                throw new IllegalArgumentException("the Kafka client properties need bootstrap.servers");
            }
        }
    }

    private final Settings settings;
    private final CommittedOffsets committed;
    /**
     * Several producers, each with its own connection and its five requests in flight: one producer sends a
     * partition at most one batch per request, so a stream's puts (each its own Kafka record) would queue
     * behind five round trips. Puts in flight at once have no order among them; one client's puts in turn
     * keep theirs, whichever producer takes each.
     */
    private final List<KafkaProducer<byte[], byte[]>> producers;

    private final AtomicInteger nextProducer = new AtomicInteger();
    private final Admin admin;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final Set<StreamKey> deleted = ConcurrentHashMap.newKeySet();
    private final Set<KafkaStreamReader> readers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private KafkaRecordLog(Settings settings, CommittedOffsets committed) {
        this.settings = settings;
        this.committed = committed;
        Map<String, Object> producerConfig = new HashMap<>(settings.client());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_MESSAGE_BYTES);
        producerConfig.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, 16L * 1024 * 1024);
        int timeoutMillis = Math.toIntExact(settings.timeout().toMillis());
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMillis / 2));
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMillis + 1_000);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        List<KafkaProducer<byte[], byte[]>> made = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            made.add(new KafkaProducer<>(producerConfig));
        }
        this.producers = List.copyOf(made);
        Map<String, Object> adminConfig = new HashMap<>(settings.client());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis);
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1_000, timeoutMillis / 2));
        this.admin = Admin.create(adminConfig);
    }

    public static KafkaRecordLog open(Settings settings, CommittedOffsets committed) {
        return new KafkaRecordLog(
                requireNonNull(settings, "settings is null"), requireNonNull(committed, "committed is null"));
    }

    /** The topic of a stream's records. */
    public String topic(StreamKey stream) {
        String topic = settings.topicPrefix() + stream.value();
        if (LEGAL_TOPIC.matcher(topic).matches() && topic.length() <= MAX_TOPIC && !topic.matches("\\.+")) {
            return topic;
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(stream.value().getBytes(StandardCharsets.UTF_8));
            return settings.topicPrefix() + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(StreamKey stream, List<AppendRecord> records) {
        byte[] value = PutBatches.encode(records);
        String topic = ensureTopic(stream);
        long timestamp = records.get(0).arrivalMillis();
        CompletableFuture<AppendResult> appended = new CompletableFuture<>();
        try {
            KafkaProducer<byte[], byte[]> producer =
                    producers.get(Math.floorMod(nextProducer.getAndIncrement(), producers.size()));
            producer.send(new ProducerRecord<>(topic, 0, timestamp, null, value), (metadata, failure) -> {
                if (failure != null) {
                    appended.completeExceptionally(
                            new LogWriteException("Kafka did not store a batch of " + topic, failure));
                } else {
                    appended.complete(new AppendResult(PutBatches.offset(metadata.offset(), 0), records.size()));
                }
            });
        } catch (RuntimeException e) {
            throw closed
                    ? new LogClosedException()
                    : new LogWriteException("Kafka did not take a batch of " + topic, e);
        }
        return appended;
    }

    @Override
    public StreamReader openReader(StreamKey stream) {
        requireOpen(stream);
        return openReader(stream, committed.committed(stream));
    }

    @Override
    public StreamReader openReader(StreamKey stream, long fromOffset) {
        if (fromOffset < 0) {
            throw new IllegalArgumentException("a stream's offsets are not negative: " + fromOffset);
        }
        String topic = ensureTopic(stream);
        KafkaStreamReader reader =
                new KafkaStreamReader(this, stream, new TopicPartition(topic, 0), settings.client(), fromOffset);
        readers.add(reader);
        return reader;
    }

    @Override
    public Optional<StreamOffsets> offsets(StreamKey stream) {
        requireOpen(stream);
        TopicPartition partition = new TopicPartition(topic(stream), 0);
        try {
            ListOffsetsResult earliest = admin.listOffsets(Map.of(partition, OffsetSpec.earliest()));
            ListOffsetsResult latest = admin.listOffsets(Map.of(partition, OffsetSpec.latest()));
            long start = PutBatches.offset(
                    earliest.partitionResult(partition)
                            .get(timeoutMillis(), TimeUnit.MILLISECONDS)
                            .offset(),
                    0);
            long end = PutBatches.offset(
                    latest.partitionResult(partition)
                            .get(timeoutMillis(), TimeUnit.MILLISECONDS)
                            .offset(),
                    0);
            return Optional.of(new StreamOffsets(start, Math.min(committed.committed(stream), end), end));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new LogWriteException("cannot read the offsets of " + partition, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogWriteException("interrupted reading the offsets of " + partition, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LogWriteException("Kafka did not answer for the offsets of " + partition, e);
        }
    }

    @Override
    public void commit(StreamKey stream, long offset) {
        requireOpen(stream);
        if (offset < 0) {
            throw new IllegalArgumentException("a stream's offsets are not negative: " + offset);
        }
        try {
            committed.commit(stream, offset);
        } catch (java.io.UncheckedIOException e) {
            throw new LogWriteException("cannot commit offset " + offset + " of " + stream, e);
        }
    }

    @Override
    public void deleteStream(StreamKey stream) {
        if (closed) {
            throw new LogClosedException();
        }
        deleted.add(stream);
        String topic = topic(stream);
        topics.remove(topic);
        try {
            admin.deleteTopics(List.of(topic)).all().get(timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new LogWriteException("cannot delete topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogWriteException("interrupted deleting topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LogWriteException("Kafka did not delete topic " + topic + " in time", e);
        }
        try {
            committed.forget(stream);
        } catch (java.io.UncheckedIOException e) {
            throw new LogWriteException("cannot forget the committed offset of " + stream, e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List.copyOf(readers).forEach(KafkaStreamReader::close);
        producers.forEach(producer -> producer.close(settings.timeout()));
        admin.close(settings.timeout());
    }

    /** Fails if the log is closed or the stream deleted. */
    void requireOpen(StreamKey stream) {
        if (closed) {
            throw new LogClosedException();
        }
        if (deleted.contains(stream)) {
            throw new StreamDeletedException(stream);
        }
    }

    void closed(KafkaStreamReader reader) {
        readers.remove(reader);
    }

    private long timeoutMillis() {
        return settings.timeout().toMillis();
    }

    /** The stream's topic, created first if this log has not seen it yet. */
    private String ensureTopic(StreamKey stream) {
        requireOpen(stream);
        String topic = topic(stream);
        if (topics.contains(topic)) {
            return topic;
        }
        Map<String, String> configs = Map.of(
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(settings.retention().toMillis()),
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(MAX_MESSAGE_BYTES),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                "LogAppendTime");
        NewTopic created = new NewTopic(topic, Optional.of(1), settings.replicationFactor()).configs(configs);
        try {
            admin.createTopics(List.of(created)).all().get(timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new LogWriteException("cannot create topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogWriteException("interrupted creating topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LogWriteException("Kafka did not create topic " + topic + " in time", e);
        }
        topics.add(topic);
        return topic;
    }
}
