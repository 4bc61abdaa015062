package io.sluice.source.kafka;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.SourceSpec;
import io.sluice.common.DataSize;
import io.sluice.metrics.StreamMetric;
import io.sluice.source.SourceConnector;
import io.sluice.source.SourceContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the topics of MSK sources (delivery spec §2.3) with Apache Kafka's consumer, one consumer per
 * stream for each {@link #read}, connected as {@link KafkaClusters} says. See {@link TopicReader} for where
 * reading starts and how positions are kept. Memory is bounded per stream by the fetch settings here (at
 * most {@value #MAX_POLL_RECORDS} records per poll, {@value #FETCH_MAX_BYTES} bytes per fetch), which
 * {@code msk-client-properties} may change.
 *
 * <p>A record larger than AWS's limit for MSK sources (§2.3a: 10 MiB) is skipped with a warning naming its
 * partition and offset; AWS sends it to the S3 error output instead.
 */
public final class KafkaConnector implements SourceConnector {
    /** AWS's largest record read from MSK (delivery spec §2.3a). */
    static final DataSize MAX_RECORD = DataSize.ofMebibytes(10);

    static final int MAX_POLL_RECORDS = 4_000;
    static final int FETCH_MAX_BYTES = 16 << 20;
    static final int MAX_PARTITION_FETCH_BYTES = 2 << 20;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final KafkaClusters clusters;
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    public KafkaConnector(KafkaClusters clusters) {
        this.clusters = requireNonNull(clusters, "clusters is null");
    }

    @Override
    public boolean reads(SourceSpec source) {
        return source instanceof SourceSpec.Msk;
    }

    @Override
    public void read(SourceContext context) throws Exception {
        SourceSpec.Msk source = (SourceSpec.Msk) context.source();
        String servers = clusters.bootstrapServers(source.clusterArn())
                .orElseThrow(() -> new IllegalStateException("no Kafka cluster is configured for the MSK cluster "
                        + source.clusterArn() + ": set 'msk-bootstrap-servers', or 'msk-cluster.<label>.arn' to this"
                        + " ARN with 'msk-cluster.<label>.bootstrap-servers'"));
        String uid = context.stream().uid();
        AtomicLong lag = lags.computeIfAbsent(uid, u -> new AtomicLong());
        context.metrics().gauge(StreamMetric.KAFKA_OFFSET_LAG, context.stream().ref(), lags, l -> lagOf(l, uid));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                consumerConfig(servers, context.stream().ref().name()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            new TopicReader(consumer, context, MAX_RECORD.bytes(), lag).run();
        } catch (InterruptException e) {
            lags.remove(uid);
            InterruptedException interrupted =
                    new InterruptedException("the reader of " + source.topicName() + " stopped");
            interrupted.initCause(e);
            throw interrupted;
        } catch (InterruptedException e) {
            lags.remove(uid);
            throw e;
        } finally {
            close(consumer);
        }
    }

    private static double lagOf(Map<String, AtomicLong> lags, String uid) {
        AtomicLong lag = lags.get(uid);
        return lag == null ? 0 : lag.get();
    }

    /**
     * Sluice's defaults, then the operator's client properties (security, tuning), then what reading by hand
     * needs: these bootstrap servers, and no offsets committed to Kafka.
     */
    private Map<String, Object> consumerConfig(String servers, String streamName) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-" + streamName);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TopicReader.CALL_TIMEOUT.toMillis());
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TopicReader.CALL_TIMEOUT.toMillis());
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) TopicReader.PARTITION_CHECK.toMillis());
        config.putAll(clusters.clientProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return config;
    }

    private static void close(KafkaConsumer<byte[], byte[]> consumer) {
        boolean interrupted = Thread.interrupted();
        try {
            consumer.close(CloseOptions.timeout(CLOSE_WAIT));
        } catch (InterruptException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
