package io.sluice.log.kafka;

import io.sluice.log.LogCorruptException;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one stream's topic with a consumer of its own, partition assigned by hand (no group, no commits
 * to Kafka). When nothing fetched is left, a read polls Kafka briefly ({@value #POLL_MILLIS} ms) and
 * answers what came, waiting longer (up to a second) only while Kafka says records are there that have
 * not come yet. Records Kafka no longer holds (past the retention) are skipped: the consumer starts again
 * at the earliest one. {@link #availableBytes} counts the payload bytes fetched and, past them, estimates
 * from the consumer's lag and the batches seen so far (an estimate, not a bound: the engine's size hint
 * then triggers about when it would on the whole data).
 */
final class KafkaStreamReader implements StreamReader {
    private static final long POLL_MILLIS = 20;
    /** How long a read waits for records Kafka says are there (a new consumer's first fetch). */
    private static final long MAX_WAIT_MILLIS = 1_000;

    private final KafkaRecordLog log;
    private final StreamKey stream;
    private final TopicPartition partition;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deque<ConsumerRecord<byte[], byte[]>> fetched = new ArrayDeque<>();
    private long fetchedBytes;
    private long batchesSeen;
    private long batchBytesSeen;
    private long position;
    private long batchOffset = -1;
    private PutBatches.Batch batch;
    private LogRecord peeked;
    private boolean closed;

    KafkaStreamReader(
            KafkaRecordLog log, StreamKey stream, TopicPartition partition, Map<String, String> client, long from) {
        this.log = log;
        this.stream = stream;
        this.partition = partition;
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(config);
        consumer.assign(List.of(partition));
        seekTo(from);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public Optional<LogRecord> peek() {
        requireOpen();
        if (peeked == null) {
            peeked = read();
        }
        return Optional.ofNullable(peeked);
    }

    @Override
    public Optional<LogRecord> next() {
        Optional<LogRecord> next = peek();
        next.ifPresent(record -> {
            peeked = null;
            position = batch.hasNext()
                    ? record.offset() + 1
                    : PutBatches.offset(PutBatches.kafkaOffset(record.offset()) + 1, 0);
        });
        return next;
    }

    @Override
    public long availableBytes() {
        requireOpen();
        if (peeked == null && fetched.isEmpty() && (batch == null || !batch.hasNext())) {
            poll();
        }
        long bytes = fetchedBytes
                + (peeked == null ? 0 : peeked.payload().remaining())
                + (batch == null ? 0 : batch.remainingPayloadBytes());
        OptionalLong lag = lag();
        if (lag.isPresent() && batchesSeen > 0) {
            bytes += lag.getAsLong() * (batchBytesSeen / batchesSeen);
        }
        return bytes;
    }

    @Override
    public OptionalLong firstUnreadArrivalMillis() {
        return peek().map(record -> OptionalLong.of(record.arrivalMillis())).orElse(OptionalLong.empty());
    }

    @Override
    public void releaseBuffers() {
        requireOpen();
        if (!fetched.isEmpty()) {
            fetched.clear();
            fetchedBytes = 0;
            consumer.seek(partition, batchOffset + 1);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fetched.clear();
        batch = null;
        peeked = null;
        consumer.close(Duration.ofSeconds(1));
        log.closed(this);
    }

    /** The next record from the position on, or null if none is readable now. */
    private LogRecord read() {
        while (true) {
            while (batch != null && batch.hasNext()) {
                PutBatches.Entry entry = batch.next();
                long offset = PutBatches.offset(batchOffset, entry.index());
                if (offset >= position) {
                    return new LogRecord(offset, entry.arrivalMillis(), entry.flags(), entry.payload());
                }
            }
            if (fetched.isEmpty() && !poll()) {
                return null;
            }
            ConsumerRecord<byte[], byte[]> record = fetched.poll();
            fetchedBytes -= payloadBytes(record.value());
            if (PutBatches.offset(record.offset() + 1, 0) <= position) {
                continue;
            }
            try {
                batch = PutBatches.Batch.of(record.value());
            } catch (IllegalArgumentException e) {
                throw new LogCorruptException(
                        "record " + record.offset() + " of " + partition + " is not a Sluice batch", e);
            }
            batchOffset = record.offset();
            position = Math.max(position, PutBatches.offset(batchOffset, 0));
        }
    }

    /**
     * Fetches what Kafka has after what is fetched: polls until records come, Kafka says there are none
     * (no lag), or {@value #MAX_WAIT_MILLIS} ms passed; false if nothing came.
     */
    private boolean poll() {
        log.requireOpen(stream);
        long deadline = System.nanoTime() + Duration.ofMillis(MAX_WAIT_MILLIS).toNanos();
        while (true) {
            List<ConsumerRecord<byte[], byte[]>> records;
            try {
                records = consumer.poll(Duration.ofMillis(POLL_MILLIS)).records(partition);
            } catch (KafkaException e) {
                throw new UncheckedIOException(new IOException("reading " + partition + " failed", e));
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                fetched.add(record);
                fetchedBytes += payloadBytes(record.value());
                batchesSeen++;
                batchBytesSeen += payloadBytes(record.value());
            }
            if (!records.isEmpty()) {
                return true;
            }
            OptionalLong lag = lag();
            if ((lag.isPresent() && lag.getAsLong() == 0) || System.nanoTime() - deadline > 0) {
                return false;
            }
        }
    }

    private static long payloadBytes(byte[] value) {
        return PutBatches.payloadBytes(value);
    }

    private OptionalLong lag() {
        try {
            return consumer.currentLag(partition);
        } catch (KafkaException e) {
            return OptionalLong.empty();
        }
    }

    private void seekTo(long offset) {
        position = offset;
        consumer.seek(partition, PutBatches.kafkaOffset(offset));
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the reader is closed");
        }
    }
}
