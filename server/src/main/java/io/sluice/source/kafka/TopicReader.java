package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.SourceSpec;
import io.sluice.metrics.StreamMetric;
import io.sluice.processor.SourceMetadata;
import io.sluice.source.SourceContext;
import io.sluice.source.SourceRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read of one stream's topic, with a consumer of its own: every partition is assigned by hand (no
 * consumer group, nothing committed to Kafka) and new partitions are picked up within {@link
 * #PARTITION_CHECK}. A partition starts at its saved position (the checkpoint holds the next offset per
 * partition number), else where the source says: the earliest offset for a {@code ReadFromTimestamp} at the
 * epoch, otherwise the first record at or after the start time, or the partition's end if none is that new.
 * Positions are saved only after the records before them were appended to the stream's log.
 *
 * <p>The Kafka client retries a broker that is down forever, silently; so every {@link #BROKER_CHECK} (and
 * on start) the reader asks the broker for the partitions' end offsets (which also gives the lag), and a
 * broker that does not answer within {@link #CALL_TIMEOUT} fails the read, for the caller to log and retry.
 */
final class TopicReader {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);

    static final Duration POLL = Duration.ofMillis(500);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PARTITION_CHECK = Duration.ofSeconds(10);
    static final Duration BROKER_CHECK = Duration.ofSeconds(1);

    private final Consumer<byte[], byte[]> consumer;
    private final SourceSpec.Msk source;
    private final SourceContext context;
    private final long maxRecordBytes;
    private final AtomicLong lag;
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    /**
     * @param maxRecordBytes records larger than this are skipped (logged), never appended
     * @param lag where the topic's lag (records not read yet, over all partitions) is kept for the gauge
     */
    TopicReader(Consumer<byte[], byte[]> consumer, SourceContext context, long maxRecordBytes, AtomicLong lag) {
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.context = requireNonNull(context, "context is null");
        this.source = (SourceSpec.Msk) context.source();
        this.maxRecordBytes = maxRecordBytes;
        this.lag = requireNonNull(lag, "lag is null");
    }

    /** Reads until interrupted (the consumer then throws Kafka's {@code InterruptException}) or failing. */
    void run() throws InterruptedException, IOException {
        Map<String, String> saved = context.checkpoints().load();
        long nextPartitionCheck = 0;
        long nextBrokerCheck = 0;
        while (true) {
            long now = context.clock().millis();
            if (now >= nextPartitionCheck) {
                assignNewPartitions(saved);
                nextPartitionCheck = now + PARTITION_CHECK.toMillis();
            }
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            if (!records.isEmpty()) {
                append(records);
                context.reachable();
            }
            if (context.clock().millis() >= nextBrokerCheck) {
                checkBroker();
                nextBrokerCheck = context.clock().millis() + BROKER_CHECK.toMillis();
            }
        }
    }

    private void assignNewPartitions(Map<String, String> saved) {
        List<PartitionInfo> partitions = consumer.partitionsFor(source.topicName(), CALL_TIMEOUT);
        if (partitions.isEmpty()) {
            throw new IllegalStateException(
                    "topic '" + source.topicName() + "' does not exist on the Kafka cluster of " + source.clusterArn());
        }
        Map<TopicPartition, Long> starts = new HashMap<>();
        List<TopicPartition> unread = new ArrayList<>();
        for (PartitionInfo info : partitions) {
            TopicPartition partition = new TopicPartition(info.topic(), info.partition());
            if (positions.containsKey(partition)) {
                continue;
            }
            String position = saved.get(Integer.toString(info.partition()));
            if (position != null) {
                starts.put(partition, Long.parseLong(position));
            } else {
                unread.add(partition);
            }
        }
        if (starts.isEmpty() && unread.isEmpty()) {
            return;
        }
        starts.putAll(firstOffsets(unread));
        positions.putAll(starts);
        consumer.assign(positions.keySet());
        positions.forEach(consumer::seek);
        LOG.info(
                "Delivery stream {} reads topic '{}' from offsets {} (partition=offset)",
                context.stream().ref().name(),
                source.topicName(),
                new TreeMap<>(partitionNumbers(starts)));
        context.reachable();
    }

    /** Where partitions never read start: see the class comment. */
    private Map<TopicPartition, Long> firstOffsets(List<TopicPartition> unread) {
        if (unread.isEmpty()) {
            return Map.of();
        }
        Instant start = source.startPosition();
        if (start.equals(Instant.EPOCH)) {
            return consumer.beginningOffsets(unread, CALL_TIMEOUT);
        }
        // The ends are asked first: a record the time look-up could not see yet (above the high watermark
        // then) is at or after them, so starting a partition with no record that new at this earlier end
        // cannot skip it; asked afterwards, the end could already be past it.
        Map<TopicPartition, Long> ends = consumer.endOffsets(unread, CALL_TIMEOUT);
        Map<TopicPartition, Long> times = new HashMap<>();
        unread.forEach(partition -> times.put(partition, start.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, CALL_TIMEOUT);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : unread) {
            OffsetAndTimestamp offset = found.get(partition);
            offsets.put(partition, offset == null ? ends.get(partition) : offset.offset());
        }
        return offsets;
    }

    private void append(ConsumerRecords<byte[], byte[]> records) throws InterruptedException, IOException {
        List<SourceRecord> batch = new ArrayList<>(records.count());
        Map<TopicPartition, Long> next = new HashMap<>();
        long bytes = 0;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                next.put(partition, record.offset() + 1);
                byte[] value = record.value() == null ? new byte[0] : record.value();
                if (value.length > maxRecordBytes) {
                    LOG.warn(
                            "Delivery stream {} skips the record at offset {} of partition {} of topic '{}': its {} bytes"
                                    + " are more than the {} a record may have",
                            context.stream().ref().name(),
                            record.offset(),
                            partition.partition(),
                            source.topicName(),
                            value.length,
                            maxRecordBytes);
                    continue;
                }
                long arrival = record.timestamp() >= 0
                        ? record.timestamp()
                        : context.clock().millis();
                batch.add(new SourceRecord(
                        arrival,
                        ByteBuffer.wrap(value),
                        new SourceMetadata.Kafka(partition.partition(), record.offset())));
                bytes += value.length;
            }
        }
        context.sink().append(batch);
        context.metrics()
                .add(
                        StreamMetric.DATA_READ_FROM_SOURCE_RECORDS,
                        context.stream().ref(),
                        batch.size());
        context.metrics()
                .add(StreamMetric.DATA_READ_FROM_SOURCE_BYTES, context.stream().ref(), bytes);
        positions.putAll(next);
        context.checkpoints().save(partitionNumbers(positions));
    }

    /** The partitions' end offsets, within {@link #CALL_TIMEOUT} or failing: the broker answers, and the lag. */
    private void checkBroker() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(positions.keySet(), CALL_TIMEOUT);
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            behind += Math.max(0, end.getValue() - positions.getOrDefault(end.getKey(), end.getValue()));
        }
        lag.set(behind);
        context.reachable();
    }

    private static Map<String, String> partitionNumbers(Map<TopicPartition, Long> offsets) {
        Map<String, String> numbered = new HashMap<>();
        offsets.forEach(
                (partition, offset) -> numbered.put(Integer.toString(partition.partition()), Long.toString(offset)));
        return numbered;
    }
}
