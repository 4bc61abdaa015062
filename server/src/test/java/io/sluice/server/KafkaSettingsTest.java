package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.source.kafka.KafkaClusters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {
    private static final String ORDERS = "arn:aws:kafka:us-east-1:123456789012:cluster/orders/1111-aaaa";
    private static final String LOGS = "arn:aws:kafka:eu-west-1:123456789012:cluster/logs/2222-bbbb";

    @TempDir
    Path dir;

    private KafkaClusters clusters(String text) throws Exception {
        Path file = dir.resolve("sluice.properties");
        Files.writeString(file, text);
        return SluiceConfig.from(SluiceConfig.settings(file, Map.of(), Map.of()))
                .delivery()
                .kafka();
    }

    @Test
    void withoutSettingsNoClusterIsKnown() throws Exception {
        KafkaClusters clusters = clusters("");
        assertThat(clusters.bootstrapServers(ORDERS)).isEmpty();
        assertThat(clusters.clientProperties()).isEmpty();
    }

    @Test
    void aClusterNamedByItsArnHasItsOwnServersAndEveryOtherTheDefault() throws Exception {
        KafkaClusters clusters = clusters("""
                msk-bootstrap-servers = kafka-a:9092, kafka-b:9092
                msk-cluster.orders.arn = %s
                msk-cluster.orders.bootstrap-servers = orders-1:9094,orders-2:9094
                """.formatted(ORDERS));
        assertThat(clusters.bootstrapServers(ORDERS)).contains("orders-1:9094,orders-2:9094");
        assertThat(clusters.bootstrapServers(LOGS)).contains("kafka-a:9092, kafka-b:9092");
    }

    @Test
    void clientPropertiesComeFromTheirFile() throws Exception {
        Path properties = dir.resolve("client.properties");
        Files.writeString(properties, """
                security.protocol = SASL_SSL
                sasl.mechanism = SCRAM-SHA-512
                """);
        KafkaClusters clusters = clusters("msk-client-properties = " + properties + "\n");
        assertThat(clusters.clientProperties())
                .isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> clusters("""
                        msk-bootstrap-servers = not a server list
                        msk-cluster.a.arn = arn:aws:s3:::bucket
                        msk-cluster.a.bootstrap-servers = a:9092
                        msk-cluster.b.bootstrap-servers = b:9092
                        msk-cluster.c.arn = %s
                        msk-cluster.c.bootstrap-servers = c:9092
                        msk-cluster.d.arn = %s
                        msk-cluster.d.bootstrap-servers = d:9092
                        msk-client-properties = %s
                        """.formatted(ORDERS, ORDERS, dir.resolve("missing.properties"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setting 'msk-bootstrap-servers' is not a list of host:port")
                .hasMessageContaining("setting 'msk-cluster.a.arn' is not an MSK cluster ARN")
                .hasMessageContaining("setting 'msk-cluster.b.arn' is required")
                .hasMessageContaining("settings 'msk-cluster.c.*' and 'msk-cluster.d.*' name the same cluster")
                .hasMessageContaining("setting 'msk-client-properties': cannot read");
    }

    @Test
    void anUnknownMemberOfTheFamilyIsRefused() {
        assertThatThrownBy(() -> clusters("msk-cluster.a.servers = a:9092\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("msk-cluster.<label>.{arn,bootstrap-servers}");
    }
}
