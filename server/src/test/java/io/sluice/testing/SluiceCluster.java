package io.sluice.testing;

import io.sluice.destination.s3.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Sluice cluster on loopback for tests: a real PostgreSQL ({@link PostgresServer}), a real Kafka broker
 * ({@link KafkaBroker}), s3proxy as the S3 store every node delivers to, and Sluice nodes as child processes
 * ({@link SluiceProcess}), each with a data directory of its own and the one shared keys directory. Leases
 * last 3 seconds, so a node that dies has its streams taken over within seconds. {@link #close()} kills the
 * nodes and stops every peer by its own process, then deletes the folder, also when a test failed.
 */
public final class SluiceCluster implements AutoCloseable {
    public static final String BUCKET = "cluster-bucket";

    private final Path dir;
    private final PostgresServer postgres;
    private final KafkaBroker kafka;
    private final S3ProxyServer s3;
    private final String databaseUrl;
    private final List<SluiceProcess> nodes = new ArrayList<>();

    private SluiceCluster(Path dir, PostgresServer postgres, KafkaBroker kafka, S3ProxyServer s3) {
        this.dir = dir;
        this.postgres = postgres;
        this.kafka = kafka;
        this.s3 = s3;
        this.databaseUrl = postgres.createDatabase();
    }

    /** Starts the peers and {@code count} nodes (in parallel would race the schema's first migration: in turn). */
    public static SluiceCluster start(int count) throws Exception {
        Path dir = Files.createTempDirectory("sluice-cluster-");
        List<AutoCloseable> started = new ArrayList<>();
        try {
            PostgresServer postgres = PostgresServer.create();
            started.add(postgres);
            KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
            started.add(kafka);
            S3ProxyServer s3 = S3ProxyServer.start();
            started.add(s3);
            try (var client = s3.client()) {
                client.createBucket(b -> b.bucket(BUCKET));
            }
            SluiceCluster cluster = new SluiceCluster(dir, postgres, kafka, s3);
            started.clear();
            try {
                for (int i = 0; i < count; i++) {
                    cluster.nodes.add(cluster.startNode(i));
                }
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        } catch (Exception e) {
            for (AutoCloseable peer : started.reversed()) {
                peer.close();
            }
            RunningSluice.deleteRecursively(dir);
            throw e;
        }
    }

    public SluiceProcess node(int index) {
        return nodes.get(index);
    }

    public int size() {
        return nodes.size();
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public S3ProxyServer s3() {
        return s3;
    }

    /** The settings of node {@code index}, as environment variables. */
    private Map<String, String> environment(int index) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SLUICE_CLUSTER_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        environment.put("SLUICE_CLUSTER_KAFKA_REPLICATION_FACTOR", "1");
        environment.put("SLUICE_CLUSTER_POSTGRES_URL", databaseUrl);
        environment.put("SLUICE_CLUSTER_POSTGRES_USER", PostgresServer.USER);
        environment.put("SLUICE_CLUSTER_NODE_ID", "node-" + index);
        environment.put("SLUICE_CLUSTER_LEASE_DURATION", "3s");
        environment.put("SLUICE_CLUSTER_KEYS_DIR", dir.resolve("keys").toString());
        environment.put("SLUICE_S3_ENDPOINT", s3.endpoint().toString());
        environment.put("SLUICE_S3_REGION", S3ProxyServer.REGION);
        environment.put("SLUICE_S3_PATH_STYLE", "true");
        environment.put("SLUICE_S3_ACCESS_KEY", S3ProxyServer.ACCESS_KEY);
        environment.put("SLUICE_S3_SECRET_KEY", S3ProxyServer.SECRET_KEY);
        environment.put("SLUICE_DELIVERY_MIN_BACKOFF", "100ms");
        environment.put("SLUICE_DELIVERY_MAX_BACKOFF", "1s");
        return environment;
    }

    private SluiceProcess startNode(int index) {
        return SluiceProcess.start(dir.resolve("node-" + index), environment(index));
    }

    @Override
    public void close() throws Exception {
        nodes.forEach(SluiceProcess::kill);
        try (AutoCloseable p = postgres::close;
                AutoCloseable k = kafka::close;
                AutoCloseable s = s3::close) {
            // closed in reverse order: s3proxy, Kafka, PostgreSQL
        } finally {
            RunningSluice.deleteRecursively(dir);
        }
    }
}
