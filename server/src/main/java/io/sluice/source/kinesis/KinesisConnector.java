package io.sluice.source.kinesis;

import static java.util.Objects.requireNonNull;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.AssumedRoleCredentials;
import io.sluice.catalog.SourceSpec;
import io.sluice.log.StreamDeletedException;
import io.sluice.metrics.StreamMetric;
import io.sluice.source.SourceConnector;
import io.sluice.source.SourceContext;
import java.time.Duration;
import java.util.HashMap;
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
import software.amazon.awssdk.utils.IoUtils;

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
    private final Map<ClientKey, Client> clients = new HashMap<>();
    private final Map<String, MillisBehind> lags = new ConcurrentHashMap<>();
    private boolean closed;

    public KinesisConnector(KinesisConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.batches = new Semaphore(config.batchesInFlight(), true);
        this.http = Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(API_CALL_TIMEOUT)
                .maxConnections(2 * config.batchesInFlight())
                .build();
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
        Optional<String> role = Optional.of(source.roleArn())
                .filter(r -> config.roleAssumption().appliesTo(config.endpoint()));
        KinesisClient kinesis = client(new ClientKey(config.region().orElse(source.region()), role));
        try {
            new StreamReading(kinesis, context, config, batches, lag).run();
        } catch (StreamDeletedException e) {
            lags.remove(uid);
            throw e;
        }
    }

    /** Kinesis clients are told apart by the region they call and the role they act as. */
    private record ClientKey(String region, Optional<String> role) {}

    /** An SDK client and the credentials provider it was built with, which it does not close itself. */
    private record Client(KinesisClient kinesis, AwsCredentialsProvider credentials) {
        void close() {
            kinesis.close();
            IoUtils.closeIfCloseable(credentials, null);
        }
    }

    private synchronized KinesisClient client(ClientKey key) {
        if (closed) {
            throw new IllegalStateException("the Kinesis connector is closed");
        }
        return clients.computeIfAbsent(key, this::newClient).kinesis();
    }

    private Client newClient(ClientKey key) {
        Region region = Region.of(key.region());
        AwsCredentialsProvider own = AccessKeys.provider(config.credentials());
        AwsCredentialsProvider credentials = key.role()
                .<AwsCredentialsProvider>map(role -> AssumedRoleCredentials.create(
                        role, own, region, config.roleAssumption().stsEndpoint(), http))
                .orElse(own);
        KinesisClientBuilder builder = KinesisClient.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(
                        o -> o.apiCallTimeout(API_CALL_TIMEOUT).retryStrategy(AwsRetryStrategy.doNotRetry()));
        config.endpoint().ifPresent(builder::endpointOverride);
        return new Client(builder.build(), credentials);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            clients.values().forEach(Client::close);
            clients.clear();
        }
        http.close();
    }
}
