package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.destination.opensearch.SearchClustersConfig;
import io.sluice.destination.opensearch.SearchClustersConfig.Authentication;
import io.sluice.destination.opensearch.SearchClustersConfig.Cluster;
import io.sluice.destination.opensearch.SearchDestinationSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSearchSettingsTest {
    private static final String DOMAIN = "arn:aws:es:us-east-1:123456789012:domain/logs";

    @TempDir
    Path dir;

    private SearchClustersConfig clusters(String text) throws Exception {
        Path file = dir.resolve("sluice.properties");
        Files.writeString(file, text);
        return SluiceConfig.from(SluiceConfig.settings(file, Map.of(), Map.of()))
                .delivery()
                .searchClusters();
    }

    private static SearchDestinationSpec.Cluster domain(String arn) {
        return new SearchDestinationSpec.Cluster.Domain(arn);
    }

    private static SearchDestinationSpec.Cluster endpoint(String url) {
        return new SearchDestinationSpec.Cluster.Endpoint(URI.create(url));
    }

    @Test
    void withoutSettingsUsesEndpointsAsTheyAreAndKnowsNoDomain() throws Exception {
        SearchClustersConfig clusters = clusters("");
        assertThat(clusters.resolve(domain(DOMAIN))).isEmpty();
        assertThat(clusters.resolve(endpoint("https://search.internal:9200")))
                .contains(
                        new Cluster(URI.create("https://search.internal:9200"), Authentication.NONE, Optional.empty()));
        assertThat(clusters.resolve(endpoint("https://search-logs-abc.eu-west-1.es.amazonaws.com")))
                .hasValueSatisfying(
                        c -> assertThat(c.authentication()).isEqualTo(new Authentication.SigV4("eu-west-1")));
        assertThat(clusters.resolve(endpoint("https://x1y2.us-east-2.aoss.amazonaws.com")))
                .hasValueSatisfying(
                        c -> assertThat(c.authentication()).isEqualTo(new Authentication.SigV4("us-east-2")));
        assertThat(clusters.signing()).isEqualTo(SearchClustersConfig.Signing.DEFAULT);
        assertThat(clusters.responseTimeout()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void mapsDomainsAndEndpointsToClustersWithTheirAuthentication() throws Exception {
        SearchClustersConfig clusters = clusters("""
                opensearch-endpoint = http://127.0.0.1:9200
                opensearch-username = admin
                opensearch-password = admin-secret
                opensearch-ca-bundle = /etc/sluice/ca.pem
                opensearch-access-key = AKIDEXAMPLE
                opensearch-secret-key = secret
                opensearch-assume-role = never
                opensearch-response-timeout = 30s
                opensearch-domain.logs.arn = arn:aws:es:us-east-1:123456789012:domain/logs
                opensearch-domain.logs.endpoint = https://logs.internal:9200
                opensearch-domain.logs.region = us-east-1
                opensearch-domain.proxied.cluster-endpoint = https://search.example.com
                opensearch-domain.proxied.endpoint = http://10.0.0.5:9200/es
                opensearch-domain.proxied.ca-bundle = /etc/sluice/proxy.pem
                opensearch-domain.self.cluster-endpoint = https://self.example.com:9200
                opensearch-domain.self.username = firehose
                opensearch-domain.self.password = pw
                """);
        assertThat(clusters.resolve(domain(DOMAIN)))
                .contains(new Cluster(
                        URI.create("https://logs.internal:9200"),
                        new Authentication.SigV4("us-east-1"),
                        Optional.empty()));
        assertThat(clusters.resolve(domain("arn:aws:es:us-east-1:123456789012:domain/other")))
                .contains(new Cluster(
                        URI.create("http://127.0.0.1:9200"),
                        new Authentication.Basic("admin", "admin-secret"),
                        Optional.empty()));
        assertThat(clusters.resolve(endpoint("https://search.example.com")))
                .contains(new Cluster(
                        URI.create("http://10.0.0.5:9200/es"),
                        Authentication.NONE,
                        Optional.of(Path.of("/etc/sluice/proxy.pem"))));
        assertThat(clusters.resolve(endpoint("https://self.example.com:9200")))
                .contains(new Cluster(
                        URI.create("https://self.example.com:9200"),
                        new Authentication.Basic("firehose", "pw"),
                        Optional.empty()));
        assertThat(clusters.caBundle()).contains(Path.of("/etc/sluice/ca.pem"));
        assertThat(clusters.signing().credentials()).contains(AccessKeys.of("AKIDEXAMPLE", "secret"));
        assertThat(clusters.signing().roleAssumption().mode()).isEqualTo(RoleAssumption.Mode.NEVER);
        assertThat(clusters.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(new Authentication.Basic("admin", "admin-secret").toString()).doesNotContain("admin-secret");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> clusters("""
                        opensearch-username = admin
                        opensearch-domain.a.endpoint = https://a.example
                        opensearch-domain.b.arn = arn:aws:es:us-east-1:123456789012:domain/bbb
                        opensearch-domain.c.arn = not-an-arn
                        opensearch-domain.c.endpoint = https://c.example
                        opensearch-domain.d.cluster-endpoint = https://d.example
                        opensearch-domain.d.username = u
                        opensearch-domain.e.cluster-endpoint = https://e.example
                        opensearch-domain.e.username = u
                        opensearch-domain.e.password = p
                        opensearch-domain.e.region = us-east-1
                        opensearch-domain.f.cluster-endpoint = https://d.example
                        opensearch-assume-role = sometimes
                        """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'opensearch-username' and 'opensearch-region' need 'opensearch-endpoint'")
                .hasMessageContaining("'opensearch-domain.a.*' need exactly one of 'opensearch-domain.a.arn'")
                .hasMessageContaining("setting 'opensearch-domain.b.endpoint' is required")
                .hasMessageContaining("'opensearch-domain.c.arn' is not a domain ARN")
                .hasMessageContaining("'opensearch-domain.d.username' and 'opensearch-domain.d.password' go together")
                .hasMessageContaining("exclude each other")
                .hasMessageContaining("'opensearch-assume-role' must be 'auto', 'always' or 'never'");
        assertThatThrownBy(() -> clusters("""
                        opensearch-domain.x.cluster-endpoint = https://same.example
                        opensearch-domain.y.cluster-endpoint = https://same.example
                        """)).hasMessageContaining("name the same cluster https://same.example");
        assertThatThrownBy(() -> clusters("opensearch-domain.x.colour = blue"))
                .hasMessageContaining("unknown setting 'opensearch-domain.x.colour'");
    }
}
