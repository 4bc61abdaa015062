package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.source.kinesis.KinesisConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KinesisSettingsTest {
    private static KinesisConfig kinesis(Map<String, String> options) throws Exception {
        return SluiceConfig.from(SluiceConfig.settings(null, Map.of(), options))
                .delivery()
                .kinesis();
    }

    @Test
    void byDefaultStreamsAreReadOnAwsInTheirArnsRegionOnceASecond() throws Exception {
        assertThat(kinesis(Map.of())).isEqualTo(KinesisConfig.aws());
    }

    @Test
    void readsEverySetting() throws Exception {
        KinesisConfig config = kinesis(Map.of(
                "kinesis-endpoint", "http://127.0.0.1:4567",
                "kinesis-region", "eu-west-1",
                "kinesis-access-key", "ak",
                "kinesis-secret-key", "sk",
                "kinesis-assume-role", "always",
                "kinesis-sts-endpoint", "http://127.0.0.1:5000",
                "kinesis-poll-interval", "250ms",
                "kinesis-get-records-limit", "500"));
        assertThat(config.endpoint()).contains(URI.create("http://127.0.0.1:4567"));
        assertThat(config.region()).contains("eu-west-1");
        assertThat(config.credentials()).contains(AccessKeys.of("ak", "sk"));
        assertThat(config.roleAssumption().mode()).isEqualTo(RoleAssumption.Mode.ALWAYS);
        assertThat(config.roleAssumption().stsEndpoint()).contains(URI.create("http://127.0.0.1:5000"));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.recordsPerCall()).isEqualTo(500);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> kinesis(Map.of(
                        "kinesis-endpoint", "ftp://kinesis",
                        "kinesis-access-key", "ak",
                        "kinesis-assume-role", "sometimes",
                        "kinesis-poll-interval", "0s",
                        "kinesis-get-records-limit", "10001")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setting 'kinesis-endpoint' must be an http or https URL")
                .hasMessageContaining("settings 'kinesis-access-key' and 'kinesis-secret-key' go together")
                .hasMessageContaining("setting 'kinesis-assume-role' must be 'auto', 'always' or 'never'")
                .hasMessageContaining("setting 'kinesis-poll-interval' must be positive")
                .hasMessageContaining("setting 'kinesis-get-records-limit' must be from 1 to 10000");
    }
}
