package io.sluice.durability;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Producer threads putting to one Sluice endpoint through the SDK v2 (no client retries), each one
 * request at a time: a batch of 1 goes as PutRecord, larger ones as PutRecordBatch. A request counts
 * as acknowledged only when Sluice answered it with success for every record; anything else (refused
 * connection, reset, error answer) leaves its records unacknowledged and is counted by kind.
 */
final class Load implements AutoCloseable {
    /** How each producer puts. */
    record Shape(int maxBatch, int minRecordSize, int maxRecordSize, Duration pause) {}

    private final FirehoseClient client;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger acknowledgedRequests = new AtomicInteger();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private Load(URI endpoint) {
        this.client = FirehoseClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Starts one thread per producer; {@code seed} makes batch and record sizes repeatable. */
    static Load start(URI endpoint, List<Ledger.Producer> producers, Shape shape, long seed) {
        Load load = new Load(endpoint);
        SplittableRandom seeds = new SplittableRandom(seed);
        for (Ledger.Producer producer : producers) {
            SplittableRandom random = seeds.split();
            load.threads.add(Thread.ofPlatform()
                    .name("load-" + producer.stream())
                    .daemon(true)
                    .start(() -> load.produce(producer, shape, random)));
        }
        return load;
    }

    private void produce(Ledger.Producer producer, Shape shape, SplittableRandom random) {
        while (running) {
            int count = random.nextInt(1, shape.maxBatch() + 1);
            List<String> ids = producer.next(count);
            List<Record> records = new ArrayList<>(count);
            for (String id : ids) {
                int size = random.nextInt(shape.minRecordSize(), shape.maxRecordSize() + 1);
                records.add(Record.builder()
                        .data(SdkBytes.fromByteArrayUnsafe(Ledger.payload(id, size)))
                        .build());
            }
            if (put(producer.stream(), records)) {
                producer.acknowledged(ids);
                acknowledgedRequests.incrementAndGet();
            }
            pause(shape.pause());
        }
    }

    private boolean put(String stream, List<Record> records) {
        try {
            if (records.size() == 1) {
                client.putRecord(b -> b.deliveryStreamName(stream).record(records.get(0)));
                return true;
            }
            PutRecordBatchResponse response =
                    client.putRecordBatch(b -> b.deliveryStreamName(stream).records(records));
            if (response.failedPutCount() != 0) {
                failed("FailedPutCount");
                return false;
            }
            return true;
        } catch (AwsServiceException e) {
            failed(e.getClass().getSimpleName() + " (HTTP " + e.statusCode() + ")");
            return false;
        } catch (RuntimeException e) {
            failed(e.getClass().getSimpleName());
            return false;
        }
    }

    private void failed(String kind) {
        failures.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    private void pause(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    int acknowledgedRequests() {
        return acknowledgedRequests.get();
    }

    /**
     * Failed requests by kind: the exception's class (with the HTTP status for an error answer), or
     * {@code FailedPutCount}.
     */
    Map<String, Integer> failures() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        failures.forEach((kind, n) -> counts.put(kind, n.get()));
        return Map.copyOf(counts);
    }

    /** Stops every producer after its current request and waits for them. */
    @Override
    public void close() {
        running = false;
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }
}
