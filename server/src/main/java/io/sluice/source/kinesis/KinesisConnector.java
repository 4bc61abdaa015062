package io.sluice.source.kinesis;

import static java.util.Objects.requireNonNull;

import io.sluice.aws.ServiceClients;
import io.sluice.catalog.SourceSpec;
import io.sluice.log.StreamDeletedException;
import io.sluice.metrics.StreamMetric;
import io.sluice.source.SourceConnector;
import io.sluice.source.SourceContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Reads the Kinesis data streams of {@code KinesisStreamAsSource} streams as Firehose does (delivery spec
 * §2.2, §2.2a): a polling consumer of every shard ({@code ListShards}, {@code GetShardIterator}, {@code
 * GetRecords}; no enhanced fan-out), following reshards parents first, KPL aggregates de-aggregated
 * (§6.3), through the AWS SDK's {@link KinesisClient} against AWS or any Kinesis-compatible endpoint.
 * A stream's {@code RoleARN} is assumed through STS when {@link KinesisConfig#roleAssumption()} says so.
 *
 * <p>The SDK does not retry: throttling ({@code ProvisionedThroughputExceededException}, {@code
 * LimitExceededException}) is counted ({@code ThrottledGetRecords}, ...) and waited out by the reader; any
 * other failure ends the reading, which {@link io.sluice.source.Sources} starts again after a backoff from
 * the saved positions. One client is kept per region and role; all share one HTTP connection pool, and at
 * most {@link KinesisConfig#batchesInFlight()} {@code GetRecords} answers are held at once.
 */
public final class KinesisConnector implements SourceConnector {
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final KinesisConfig config;
    private final SdkHttpClient http;
    private final Semaphore batches;
    private final ServiceClients<KinesisClient> clients;
    private final Map<String, MillisBehind> lags = new ConcurrentHashMap<>();

    public KinesisConnector(KinesisConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.batches = new Semaphore(config.batchesInFlight(), true);
        this.http = Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(API_CALL_TIMEOUT)
                .maxConnections(2 * config.batchesInFlight())
                .build();
        this.clients = new ServiceClients<>(
                config.endpoint(), config.credentials(), config.roleAssumption(), http, this::newClient);
    }

    private KinesisClient newClient(Region region, AwsCredentialsProvider credentials) {
        KinesisClientBuilder builder = KinesisClient.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(
                        o -> o.apiCallTimeout(API_CALL_TIMEOUT).retryStrategy(AwsRetryStrategy.doNotRetry()));
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public boolean reads(SourceSpec source) {
        return source instanceof SourceSpec.KinesisStream;
    }

    @Override
    public void read(SourceContext context) throws Exception {
        SourceSpec.KinesisStream source = (SourceSpec.KinesisStream) context.source();
        String uid = context.stream().uid();
        MillisBehind lag = lags.computeIfAbsent(uid, u -> new MillisBehind());
        context.metrics()
                .gauge(
                        StreamMetric.KINESIS_MILLIS_BEHIND_LATEST,
                        context.stream().ref(),
                        lag,
                        MillisBehind::max);
        KinesisClient kinesis = clients.client(config.region().orElse(source.region()), Optional.of(source.roleArn()));
        try {
            new StreamReading(kinesis, context, config, batches, lag).run();
        } catch (StreamDeletedException e) {
            lags.remove(uid);
            throw e;
        }
    }

    @Override
    public void close() {
        clients.close();
        http.close();
    }
}
