package io.sluice.source.kinesis;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.SourceSpec;
import io.sluice.metrics.StreamMetric;
import io.sluice.source.SourceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;

/**
 * One reading of one stream's Kinesis data stream: lists its shards ({@code ListShards}), runs a {@link
 * ShardReader} on a virtual thread for each shard {@link ShardOrder} allows, and lists again when one of
 * them reaches its shard's end (its children may be read now) and every {@link #RELIST_INTERVAL}. The first
 * reader to fail ends the reading with its failure, after every other reader is stopped.
 */
final class StreamReading {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReading.class);

    static final Duration RELIST_INTERVAL = Duration.ofSeconds(10);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** How a shard reader ended. */
    private sealed interface ShardEnd {
        record Finished(String shard) implements ShardEnd {}

        record Failed(String shard, Exception failure) implements ShardEnd {}
    }

    private final KinesisClient kinesis;
    private final SourceSpec.KinesisStream source;
    private final SourceContext context;
    private final KinesisConfig config;
    private final Semaphore batches;
    private final MillisBehind lag;

    StreamReading(
            KinesisClient kinesis, SourceContext context, KinesisConfig config, Semaphore batches, MillisBehind lag) {
        this.kinesis = requireNonNull(kinesis, "kinesis is null");
        this.context = requireNonNull(context, "context is null");
        this.source = (SourceSpec.KinesisStream) context.source();
        this.config = requireNonNull(config, "config is null");
        this.batches = requireNonNull(batches, "batches is null");
        this.lag = requireNonNull(lag, "lag is null");
    }

    void run() throws Exception {
        ShardPositions positions = ShardPositions.load(context.checkpoints());
        BlockingQueue<ShardEnd> ends = new LinkedBlockingQueue<>();
        Set<String> running = new HashSet<>();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            while (true) {
                List<ShardOrder.Shard> shards = listShards();
                positions.forgetFinishedExcept(
                        shards.stream().map(ShardOrder.Shard::id).collect(Collectors.toSet()));
                for (String shard : ShardOrder.readable(shards, positions.finished())) {
                    if (running.add(shard)) {
                        ShardReader reader = new ShardReader(
                                kinesis,
                                source.streamName(),
                                shard,
                                source.deliveryStart(),
                                context,
                                positions,
                                config,
                                batches,
                                lag);
                        threads.execute(() -> ends.add(read(shard, reader)));
                    }
                }
                ShardEnd end = ends.poll(RELIST_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                while (end != null) {
                    switch (end) {
                        case ShardEnd.Finished finished -> {
                            running.remove(finished.shard());
                            LOG.debug("Shard {} of {} is read to its end", finished.shard(), source.streamArn());
                        }
                        case ShardEnd.Failed failed -> throw failed.failure();
                    }
                    end = ends.poll();
                }
            }
        } finally {
            stop(threads);
        }
    }

    private static ShardEnd read(String shard, ShardReader reader) {
        try {
            reader.read();
            return new ShardEnd.Finished(shard);
        } catch (Exception e) {
            return new ShardEnd.Failed(shard, e);
        }
    }

    /** Every shard of the stream, open or closed, in the order Kinesis lists them. */
    private List<ShardOrder.Shard> listShards() throws InterruptedException {
        List<ShardOrder.Shard> shards = new ArrayList<>();
        Optional<String> next = Optional.empty();
        Throttling throttling = new Throttling();
        while (true) {
            ListShardsResponse response;
            try {
                Optional<String> token = next;
                response = kinesis.listShards(b -> {
                    if (token.isPresent()) {
                        b.nextToken(token.get());
                    } else {
                        b.streamName(source.streamName());
                    }
                });
            } catch (KinesisException e) {
                if (!Throttling.isThrottling(e)) {
                    throw e;
                }
                context.metrics()
                        .add(
                                StreamMetric.THROTTLED_DESCRIBE_STREAM,
                                context.stream().ref(),
                                1);
                throttling.pause();
                continue;
            }
            context.reachable();
            throttling.reset();
            response.shards()
                    .forEach(shard -> shards.add(new ShardOrder.Shard(
                            shard.shardId(),
                            Optional.ofNullable(shard.parentShardId()),
                            Optional.ofNullable(shard.adjacentParentShardId()))));
            next = Optional.ofNullable(response.nextToken());
            if (next.isEmpty()) {
                return shards;
            }
        }
    }

    /** Interrupts the shard readers and waits for them, keeping the caller's interrupt if it had one. */
    private static void stop(ExecutorService threads) {
        threads.shutdownNow();
        boolean interrupted = Thread.interrupted();
        try {
            if (!threads.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Kinesis shard readers did not stop within {}", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
