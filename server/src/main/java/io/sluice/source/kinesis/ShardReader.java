package io.sluice.source.kinesis;

import static java.util.Objects.requireNonNull;

import io.sluice.metrics.StreamMetric;
import io.sluice.processor.SourceMetadata;
import io.sluice.source.SourceContext;
import io.sluice.source.SourceRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads one shard until it ends (closed by a reshard and read to its end) or fails, polling it as Firehose
 * does: {@code GetShardIterator} once, then {@code GetRecords} again at once after an answer with records
 * and after {@link KinesisConfig#pollInterval()} after an empty one. Each answer's records, KPL aggregates
 * de-aggregated into their user records, are appended to the stream's log before the shard's position is
 * saved, so a crash reads some records again but skips none. One answer is held at a time, and only with
 * one of the connector's {@code batches} permits.
 *
 * <p>Where a shard is read from: after its saved sequence number ({@code AFTER_SEQUENCE_NUMBER}); for a shard
 * never read, at the stream's {@code DeliveryStartTimestamp} ({@code AT_TIMESTAMP}): no backfill. A child of a
 * reshard is never read before its parents are finished ({@link ShardOrder}), and every one of its records
 * arrived after its creation, later than the start, so {@code AT_TIMESTAMP} reads it from its first record,
 * as {@code TRIM_HORIZON} would, without reading a child created before the start from its beginning.
 */
final class ShardReader {
    private static final Logger LOG = LoggerFactory.getLogger(ShardReader.class);

    private final KinesisClient kinesis;
    private final String streamName;
    private final String shard;
    private final Optional<Instant> start;
    private final SourceContext context;
    private final ShardPositions positions;
    private final KinesisConfig config;
    private final Semaphore batches;
    private final MillisBehind lag;
    private int limit;

    ShardReader(
            KinesisClient kinesis,
            String streamName,
            String shard,
            Optional<Instant> start,
            SourceContext context,
            ShardPositions positions,
            KinesisConfig config,
            Semaphore batches,
            MillisBehind lag) {
        this.kinesis = requireNonNull(kinesis, "kinesis is null");
        this.streamName = requireNonNull(streamName, "streamName is null");
        this.shard = requireNonNull(shard, "shard is null");
        this.start = requireNonNull(start, "start is null");
        this.context = requireNonNull(context, "context is null");
        this.positions = requireNonNull(positions, "positions is null");
        this.config = requireNonNull(config, "config is null");
        this.batches = requireNonNull(batches, "batches is null");
        this.lag = requireNonNull(lag, "lag is null");
        this.limit = config.recordsPerCall();
    }

    /**
     * Reads until the shard's end, which it then saves.
     *
     * @throws InterruptedException when stopped
     * @throws Exception when Kinesis, the log or the checkpoints fail
     */
    void read() throws Exception {
        String iterator = iterator();
        Throttling throttling = new Throttling();
        while (true) {
            Optional<GetRecordsResponse> answer;
            batches.acquire();
            try {
                answer = getRecords(iterator);
                if (answer.isPresent()) {
                    store(answer.get().records());
                }
            } catch (ExpiredIteratorException e) {
                iterator = iterator();
                continue;
            } finally {
                batches.release();
            }
            if (answer.isEmpty()) {
                throttling.pause();
                continue;
            }
            throttling.reset();
            GetRecordsResponse response = answer.get();
            if (response.millisBehindLatest() != null) {
                lag.update(shard, response.millisBehindLatest());
            }
            if (response.nextShardIterator() == null) {
                positions.finish(shard);
                lag.finished(shard);
                return;
            }
            iterator = response.nextShardIterator();
            if (response.records().isEmpty()) {
                Thread.sleep(config.pollInterval());
            }
        }
    }

    /**
     * The answer to one call, or empty when Kinesis throttled it or did not answer in time: a server slow to
     * gather many records (some Kinesis-compatible ones) is then asked for half as many from then on, down
     * to one, rather than failing the reading again and again.
     */
    private Optional<GetRecordsResponse> getRecords(String iterator) {
        try {
            GetRecordsResponse response =
                    kinesis.getRecords(b -> b.shardIterator(iterator).limit(limit));
            context.reachable();
            return Optional.of(response);
        } catch (ApiCallTimeoutException e) {
            if (limit == 1) {
                throw e;
            }
            limit = limit / 2;
            LOG.info(
                    "GetRecords on shard {} of {} got no answer in time: asking for {} records a call",
                    shard,
                    streamName,
                    limit);
            return Optional.empty();
        } catch (ExpiredIteratorException e) {
            throw e;
        } catch (KinesisException e) {
            if (!Throttling.isThrottling(e)) {
                throw e;
            }
            context.metrics()
                    .add(StreamMetric.THROTTLED_GET_RECORDS, context.stream().ref(), 1);
            return Optional.empty();
        }
    }

    /** An iterator from where this shard is to be read on. */
    private String iterator() throws InterruptedException {
        GetShardIteratorRequest.Builder request =
                GetShardIteratorRequest.builder().streamName(streamName).shardId(shard);
        Optional<String> after = positions.sequenceNumber(shard);
        if (after.isPresent()) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(after.get());
        } else if (start.isPresent()) {
            request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(start.get());
        } else {
            request.shardIteratorType(ShardIteratorType.LATEST);
        }
        Throttling throttling = new Throttling();
        while (true) {
            try {
                String iterator = kinesis.getShardIterator(request.build()).shardIterator();
                context.reachable();
                return iterator;
            } catch (KinesisException e) {
                if (!Throttling.isThrottling(e)) {
                    throw e;
                }
                context.metrics()
                        .add(
                                StreamMetric.THROTTLED_GET_SHARD_ITERATOR,
                                context.stream().ref(),
                                1);
                throttling.pause();
            }
        }
    }

    /** Appends the user records of {@code records} to the log, then saves the position after them. */
    private void store(List<Record> records) throws InterruptedException, IOException {
        if (records.isEmpty()) {
            return;
        }
        List<SourceRecord> read = new ArrayList<>();
        long bytes = 0;
        for (Record record : records) {
            ByteBuffer data = record.data().asByteBuffer();
            bytes += data.remaining();
            long arrival = record.approximateArrivalTimestamp() == null
                    ? context.clock().millis()
                    : record.approximateArrivalTimestamp().toEpochMilli();
            List<KplAggregates.UserRecord> users = KplAggregates.deaggregate(data, record.partitionKey());
            for (int i = 0; i < users.size(); i++) {
                KplAggregates.UserRecord user = users.get(i);
                read.add(new SourceRecord(
                        arrival,
                        user.data(),
                        new SourceMetadata.Kinesis(shard, user.partitionKey(), record.sequenceNumber(), i)));
            }
        }
        context.sink().append(read);
        context.metrics()
                .add(
                        StreamMetric.DATA_READ_FROM_KINESIS_STREAM_RECORDS,
                        context.stream().ref(),
                        records.size());
        context.metrics()
                .add(
                        StreamMetric.DATA_READ_FROM_KINESIS_STREAM_BYTES,
                        context.stream().ref(),
                        bytes);
        positions.read(shard, records.getLast().sequenceNumber());
    }
}
