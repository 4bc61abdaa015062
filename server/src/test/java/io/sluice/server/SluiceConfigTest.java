package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.auth.Credential;
import io.sluice.common.DataSize;
import io.sluice.ingest.ThroughputLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceConfigTest {
    @TempDir
    Path dir;

    @Test
    void usesEmbeddedDefaults() throws Exception {
        SluiceConfig config = SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of()));
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(4573);
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.credentials()).containsExactly(SluiceConfig.DEVELOPMENT_CREDENTIAL);
        assertThat(config.catalogLimits().streamsPerAccountAndRegion()).isEqualTo(5000);
        assertThat(config.maxRequestBody()).isEqualTo(DataSize.ofMebibytes(8));
        assertThat(config.delivery().activePartitionsLimit()).isEqualTo(500);
    }

    @Test
    void optionsOverrideEnvironmentWhichOverridesTheFile() throws Exception {
        Path file = dir.resolve("sluice.properties");
        Files.writeString(file, "port = 1000\nhost = 127.0.0.2\nstream-transition-delay = 2s\n");
        SluiceConfig config = SluiceConfig.from(SluiceConfig.settings(
                file,
                Map.of("SLUICE_PORT", "2000", "SLUICE_CREDENTIALS", "AKID:SECRET:123456789012", "HOME", "/x"),
                Map.of("port", "3000")));
        assertThat(config.port()).isEqualTo(3000);
        assertThat(config.host()).isEqualTo("127.0.0.2");
        assertThat(config.catalogLimits().transitionDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.credentials()).containsExactly(new Credential("AKID", "SECRET", "123456789012"));
    }

    @Test
    void aTransitionDelayOfZeroNeedsNoUnit() throws Exception {
        for (String zero : List.of("0", "0ms", "0s", "PT0S")) {
            assertThat(SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of("stream-transition-delay", zero)))
                            .catalogLimits()
                            .transitionDelay())
                    .as(zero)
                    .isZero();
        }
        assertThatThrownBy(() -> SluiceConfig.from(
                        SluiceConfig.settings(null, Map.of(), Map.of("stream-transition-delay", "1"))))
                .hasMessageContaining("not a duration");
    }

    @Test
    void rejectsUnknownSettingsAndBadValues() throws Exception {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "prot = 1\n");
        assertThatThrownBy(() -> SluiceConfig.settings(file, Map.of(), Map.of()))
                .hasMessageContaining("unknown setting 'prot'");
        assertThatThrownBy(() -> SluiceConfig.settings(null, Map.of(), Map.of("prot", "1")))
                .hasMessageContaining("unknown setting 'prot' in the command line");
        assertThatThrownBy(() -> SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of("port", "http"))))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> SluiceConfig.from(
                        SluiceConfig.settings(null, Map.of(), Map.of("stream-transition-delay", "soon"))))
                .hasMessageContaining("not a duration");
        assertThatThrownBy(() -> SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of("credentials", "a:b"))))
                .hasMessageContaining("ACCESS_KEY:SECRET:ACCOUNT_ID");
        assertThatThrownBy(() -> SluiceConfig.from(
                        SluiceConfig.settings(null, Map.of(), Map.of("active-partitions-limit", "0"))))
                .hasMessageContaining("setting 'active-partitions-limit' must be from 1 to 50000: 0");
        assertThat(SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of("active-partitions-limit", "5000")))
                        .delivery()
                        .activePartitionsLimit())
                .isEqualTo(5000);
    }

    @Test
    void anUnknownEnvironmentVariableIsAWarningNamingIt() throws Exception {
        Settings settings = SluiceConfig.settings(
                null,
                Map.of("SLUICE_PROT", "1", "SLUICE_DATA_DIR", "/srv/sluice", "SLUICE_LOG_LEVEL", "DEBUG", "HOME", "/x"),
                Map.of());

        assertThat(settings.warnings())
                .containsExactly("environment variable SLUICE_PROT is ignored: there is no setting 'prot'");
        assertThat(SluiceConfig.from(settings).dataDir()).isEqualTo(Path.of("/srv/sluice"));
    }

    @Test
    void ignoresKubernetesServiceLinksOfAServiceNamedSluiceWithoutAWarning() throws Exception {
        Map<String, String> links = Map.of(
                "SLUICE_SERVICE_HOST", "10.96.0.12",
                "SLUICE_SERVICE_PORT", "8080",
                "SLUICE_SERVICE_PORT_HTTP_API", "8080",
                "SLUICE_PORT", "tcp://10.96.0.12:8080",
                "SLUICE_PORT_8080_TCP", "tcp://10.96.0.12:8080",
                "SLUICE_PORT_8080_TCP_PROTO", "tcp",
                "SLUICE_PORT_8080_TCP_PORT", "8080",
                "SLUICE_PORT_8080_TCP_ADDR", "10.96.0.12",
                "SLUICE_PORT_53_UDP", "udp://10.96.0.12:53");

        Settings settings = SluiceConfig.settings(null, links, Map.of());

        assertThat(settings.warnings()).isEmpty();
        assertThat(SluiceConfig.from(settings).port()).isEqualTo(4573);
    }

    @Test
    void sluicePortIsThePortSettingUnlessItIsAServiceLinkUrl() throws Exception {
        assertThat(SluiceConfig.from(SluiceConfig.settings(null, Map.of("SLUICE_PORT", "5000"), Map.of()))
                        .port())
                .isEqualTo(5000);
        assertThat(SluiceConfig.from(SluiceConfig.settings(null, Map.of("SLUICE_PORT", "SCTP://10.0.0.1:9"), Map.of()))
                        .port())
                .isEqualTo(4573);
        assertThatThrownBy(() -> SluiceConfig.from(
                        SluiceConfig.settings(null, Map.of("SLUICE_PORT", "http://10.0.0.1:5000"), Map.of())))
                .hasMessageContaining("setting 'port' is not a whole number: http://10.0.0.1:5000");
    }

    @Test
    void refusesDevelopmentCredentialsBeyondLoopback() throws Exception {
        assertThatThrownBy(() -> SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of("host", "0.0.0.0"))))
                .hasMessageContaining("refusing to listen on 0.0.0.0 with the development credentials");
        SluiceConfig configured = SluiceConfig.from(SluiceConfig.settings(
                null, Map.of(), Map.of("host", "0.0.0.0", "credentials", "AKID:SECRET:123456789012")));
        assertThat(configured.host()).isEqualTo("0.0.0.0");
    }

    @Test
    void quotasAreOffByDefaultAndReadFromTheirSettings() throws Exception {
        assertThat(SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of()))
                        .quotas())
                .isEqualTo(ThroughputLimits.UNLIMITED);
        SluiceConfig awsLike = SluiceConfig.from(SluiceConfig.settings(
                null,
                Map.of(
                        "SLUICE_QUOTA_RECORDS_PER_SECOND", "500000",
                        "SLUICE_QUOTA_REQUESTS_PER_SECOND", "2000",
                        "SLUICE_QUOTA_BYTES_PER_SECOND", "5MiB"),
                Map.of()));
        assertThat(awsLike.quotas()).isEqualTo(new ThroughputLimits(500_000, 2_000, DataSize.ofMebibytes(5)));
        assertThatThrownBy(() -> SluiceConfig.from(
                        SluiceConfig.settings(null, Map.of(), Map.of("quota-requests-per-second", "-1"))))
                .hasMessageContaining("setting 'quota-requests-per-second' must be 0 (unlimited) or more");
        assertThatThrownBy(() -> SluiceConfig.from(
                        SluiceConfig.settings(null, Map.of(), Map.of("quota-bytes-per-second", "lots"))))
                .hasMessageContaining("quota-bytes-per-second");
    }

    @Test
    void readsTlsSettingsAsAPairWithAReloadInterval() throws Exception {
        SluiceConfig config = SluiceConfig.from(SluiceConfig.settings(
                null,
                Map.of(
                        "SLUICE_TLS_CERTIFICATE",
                        "/etc/sluice/cert.pem",
                        "SLUICE_TLS_PRIVATE_KEY",
                        "/etc/sluice/key.pem"),
                Map.of()));
        assertThat(config.tls())
                .contains(new SluiceConfig.TlsSettings(
                        Path.of("/etc/sluice/cert.pem"), Path.of("/etc/sluice/key.pem"), Duration.ofSeconds(5)));
        assertThat(SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of()))
                        .tls())
                .isEmpty();
        assertThatThrownBy(() ->
                        SluiceConfig.from(SluiceConfig.settings(null, Map.of(), Map.of("tls-certificate", "cert.pem"))))
                .hasMessageContaining("'tls-certificate' and 'tls-private-key' go together");
        assertThatThrownBy(() -> SluiceConfig.from(SluiceConfig.settings(
                        null,
                        Map.of(),
                        Map.of(
                                "tls-certificate",
                                "cert.pem",
                                "tls-private-key",
                                "key.pem",
                                "tls-reload-interval",
                                "0s"))))
                .hasMessageContaining("'tls-reload-interval' must be positive");
    }

    @Test
    void tlsDoesNotLetTheDevelopmentCredentialsOffLoopback() {
        assertThatThrownBy(() -> SluiceConfig.from(SluiceConfig.settings(
                        null,
                        Map.of(),
                        Map.of("host", "0.0.0.0", "tls-certificate", "cert.pem", "tls-private-key", "key.pem"))))
                .hasMessageContaining("refusing to listen on 0.0.0.0 with the development credentials");
    }
}
