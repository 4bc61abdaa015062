import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The Kinesis side of bench/kinesis-source.sh, with the AWS SDK's client Sluice itself uses, run as a
 * single-file program on Sluice's runtime classpath:
 *   fill ENDPOINT STREAM COUNT SIZE   puts COUNT records of SIZE random bytes, 100 a call from 2 threads,
 *                                     each under a random partition key (so spread over the shards);
 *   read ENDPOINT STREAM LIMIT        reads every shard from TRIM_HORIZON to its newest record, one thread a
 *                                     shard, GetRecords of LIMIT records again and again (no pause), and
 *                                     reports records and MB/s: the server's own read ceiling.
 */
public final class KinesisLoad {
    public static void main(String[] args) throws Exception {
        try (KinesisClient kinesis = KinesisClient.builder()
                .endpointOverride(URI.create(args[1]))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(16).socketTimeout(Duration.ofMinutes(2)))
                .build()) {
            switch (args[0]) {
                case "fill" -> fill(kinesis, args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                case "read" -> read(kinesis, args[2], Integer.parseInt(args[3]));
                default -> throw new IllegalArgumentException("fill or read: " + args[0]);
            }
        }
    }

    private static void fill(KinesisClient kinesis, String stream, int count, int size) throws Exception {
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int from = 0; from < count; from += 100) {
                int n = Math.min(100, count - from);
                long seed = from;
                calls.add(threads.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    List<PutRecordsRequestEntry> entries = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        byte[] data = new byte[size];
                        random.nextBytes(data);
                        entries.add(PutRecordsRequestEntry.builder()
                                .partitionKey(Long.toHexString(random.nextLong()))
                                .data(SdkBytes.fromByteArrayUnsafe(data))
                                .build());
                    }
                    int failed = kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount();
                    if (failed > 0) {
                        throw new IllegalStateException(failed + " records refused");
                    }
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        }
        System.out.printf("filled %d records of %d bytes in %.1f s%n", count, size, seconds(started));
    }

    private static void read(KinesisClient kinesis, String stream, int limit) throws Exception {
        List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).shards();
        long started = System.nanoTime();
        long records = 0;
        long bytes = 0;
        try (ExecutorService threads = Executors.newFixedThreadPool(shards.size())) {
            List<Future<long[]>> readers = new ArrayList<>();
            for (Shard shard : shards) {
                readers.add(threads.submit(() -> readShard(kinesis, stream, shard.shardId(), limit)));
            }
            for (Future<long[]> reader : readers) {
                records += reader.get()[0];
                bytes += reader.get()[1];
            }
        }
        double seconds = seconds(started);
        System.out.printf(
                "read %d records (%d bytes) from %d shards in %.2f s: %.0f records/s, %.1f MB/s%n",
                records, bytes, shards.size(), seconds, records / seconds, bytes / seconds / 1e6);
    }

    private static long[] readShard(KinesisClient kinesis, String stream, String shard, int limit) {
        String iterator = kinesis.getShardIterator(
                        b -> b.streamName(stream).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        long records = 0;
        long bytes = 0;
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(limit));
            records += response.records().size();
            for (var record : response.records()) {
                bytes += record.data().asByteBuffer().remaining();
            }
            if (response.records().isEmpty() && response.millisBehindLatest() != null
                    && response.millisBehindLatest() == 0) {
                break;
            }
            iterator = response.nextShardIterator();
        }
        return new long[] {records, bytes};
    }

    private static double seconds(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis() / 1000.0;
    }
}
