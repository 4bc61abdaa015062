package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSettingsTest {
    @TempDir
    Path dir;

    private Optional<ClusterSettings> cluster(String text) throws Exception {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, text);
        return SluiceConfig.from(SluiceConfig.settings(file, Map.of(), Map.of()))
                .cluster();
    }

    @Test
    void withoutKafkaAndPostgresANodeRunsOnItsOwn() throws Exception {
        assertThat(cluster("")).isEmpty();
    }

    @Test
    void kafkaAndPostgresTogetherMakeACluster() throws Exception {
        Path client = dir.resolve("client.properties");
        Files.writeString(client, "security.protocol = SSL\n");
        ClusterSettings cluster = cluster("""
                        cluster-kafka-bootstrap-servers = k1:9092,k2:9092
                        cluster-kafka-client-properties = %s
                        cluster-kafka-replication-factor = 3
                        cluster-postgres-url = jdbc:postgresql://db:5432/sluice
                        cluster-postgres-user = sluice
                        cluster-node-id = node-a
                        cluster-lease-duration = 15s
                        cluster-keys-dir = /etc/sluice/keys
                        """.formatted(client)).orElseThrow();
        assertThat(cluster.nodeId()).isEqualTo("node-a");
        assertThat(cluster.kafka())
                .isEqualTo(Map.of("bootstrap.servers", "k1:9092,k2:9092", "security.protocol", "SSL"));
        assertThat(cluster.topicPrefix()).isEqualTo("sluice.");
        assertThat(cluster.replicationFactor()).contains((short) 3);
        assertThat(cluster.postgres())
                .isEqualTo(new ClusterSettings.Postgres(
                        "jdbc:postgresql://db:5432/sluice", Optional.of("sluice"), Optional.empty(), 8));
        assertThat(cluster.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(cluster.keysDirectory()).isEqualTo(Path.of("/etc/sluice/keys"));
    }

    @Test
    void eachNodeGetsItsOwnIdByDefault() throws Exception {
        String settings = """
                cluster-kafka-bootstrap-servers = k1:9092
                cluster-postgres-url = jdbc:postgresql://db/sluice
                cluster-keys-dir = keys
                """;
        assertThat(cluster(settings).orElseThrow().nodeId())
                .isNotEqualTo(cluster(settings).orElseThrow().nodeId());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> cluster("""
                        cluster-kafka-bootstrap-servers = not a server list
                        cluster-kafka-topic-prefix = a/b
                        cluster-kafka-replication-factor = 0
                        cluster-postgres-url = postgres://db/sluice
                        cluster-postgres-pool-size = 1
                        cluster-lease-duration = 1s
                        """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cluster-kafka-bootstrap-servers' is not a list of host:port")
                .hasMessageContaining("'cluster-kafka-topic-prefix' may hold only")
                .hasMessageContaining("'cluster-kafka-replication-factor' must be a number from 1")
                .hasMessageContaining("'cluster-postgres-url' is not a PostgreSQL JDBC URL")
                .hasMessageContaining("'cluster-postgres-pool-size' must be from 2 to 100")
                .hasMessageContaining("'cluster-lease-duration' must be from 3s to 10m")
                .hasMessageContaining("'cluster-keys-dir' is required in cluster mode");
    }

    @Test
    void kafkaWithoutPostgresIsRefused() {
        assertThatThrownBy(() -> cluster("cluster-kafka-bootstrap-servers = k1:9092\ncluster-keys-dir = keys\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cluster-kafka-bootstrap-servers' and 'cluster-postgres-url' go together");
    }
}
