package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.auth.KeyPermissions;
import io.sluice.api.auth.Permissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuritySettingsTest {
    private static final String CREDENTIALS = "ADMIN:s1:111122223333,PRODUCER:s2:111122223333";

    private static SluiceConfig config(String... nameValues) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("credentials", CREDENTIALS);
        for (int i = 0; i < nameValues.length; i += 2) {
            options.put(nameValues[i], nameValues[i + 1]);
        }
        return SluiceConfig.from(SluiceConfig.settings(null, Map.of(), options));
    }

    @Test
    void byDefaultEveryKeyMayDoEverythingMetricsAreOnTheApiPortAndAuditGoesToAFile() throws Exception {
        SecuritySettings security = config().security();
        assertThat(security.permissions().of("PRODUCER").restricted()).isFalse();
        assertThat(security.metricsAddress()).isEmpty();
        assertThat(security.metricsToken()).isEmpty();
        assertThat(security.audit().mode()).isEqualTo(SecuritySettings.AuditMode.FILE);
    }

    @Test
    void readsPermissionsMetricsAndAudit() throws Exception {
        SecuritySettings security = config(
                        "access-key.PRODUCER.user", "orders-producer",
                        "access-key.PRODUCER.allow",
                                "firehose:PutRecord on arn:aws:firehose:*:*:deliverystream/orders-*;"
                                        + " firehose:ListDeliveryStreams",
                        "access-key.PRODUCER.deny", "firehose:* on arn:aws:firehose:*:*:deliverystream/orders-x",
                        "metrics-port", "9464",
                        "metrics-token", "t",
                        "audit-log", "stdout")
                .security();
        assertThat(security.permissions().of("PRODUCER").userName()).isEqualTo("orders-producer");
        assertThat(security.permissions().of("PRODUCER").allow()).hasSize(2);
        assertThat(security.permissions().of("PRODUCER").deny()).hasSize(1);
        assertThat(security.permissions().of("ADMIN").restricted()).isFalse();
        assertThat(security.metricsAddress()).contains(new SecuritySettings.MetricsAddress("127.0.0.1", 9464));
        assertThat(security.metricsToken()).contains("t");
        assertThat(security.audit().mode()).isEqualTo(SecuritySettings.AuditMode.STDOUT);
    }

    /** The permissions of the README's worked example, a statement continued on a second line. */
    @Test
    void readsTheReadmeExampleFromAConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sluice.properties");
        Files.writeString(file, """
                credentials = ADMINKEY:admin-secret-change-me:111122223333,ORDERSKEY:orders-secret-change-me:111122223333
                access-key.ADMINKEY.user = platform-admin
                access-key.ADMINKEY.allow = firehose:*
                access-key.ORDERSKEY.user = orders-producer
                access-key.ORDERSKEY.allow = firehose:PutRecord,firehose:PutRecordBatch,firehose:DescribeDeliveryStream,firehose:ListDeliveryStreams \\
                    on arn:aws:firehose:*:111122223333:deliverystream/orders-*
                access-key.ORDERSKEY.deny = firehose:* on arn:aws:firehose:*:111122223333:deliverystream/orders-ledger
                metrics-port = 9464
                metrics-token = prometheus-token-change-me
                """);
        Permissions permissions = SluiceConfig.from(SluiceConfig.settings(file, Map.of(), Map.of()))
                .security()
                .permissions();
        String orders = "arn:aws:firehose:eu-west-1:111122223333:deliverystream/orders-eu";
        KeyPermissions producer = permissions.of("ORDERSKEY");
        assertThat(producer.allows("firehose:PutRecordBatch", orders)).isTrue();
        assertThat(producer.allows("firehose:DeleteDeliveryStream", orders)).isFalse();
        assertThat(producer.allows("firehose:PutRecord", orders.replace("orders-eu", "orders-ledger")))
                .isFalse();
        assertThat(producer.allows("firehose:PutRecord", orders.replace("orders-eu", "billing")))
                .isFalse();
        assertThat(permissions.of("ADMINKEY").allows("firehose:DeleteDeliveryStream", orders))
                .isTrue();
    }

    @Test
    void refusesWhatCannotBeMeantReportingEveryProblem() {
        assertThatThrownBy(() -> config(
                        "access-key.NOBODY.allow", "firehose:*",
                        "access-key.PRODUCER.allow", "firehose:PutRecords",
                        "metrics-host", "127.0.0.1",
                        "audit-log", "syslog"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'access-key.NOBODY.*' name an access key that is not in 'credentials'")
                .hasMessageContaining(
                        "setting 'access-key.PRODUCER.allow': 'firehose:PutRecords' is not a Firehose" + " action")
                .hasMessageContaining("setting 'metrics-host' needs 'metrics-port'")
                .hasMessageContaining("setting 'audit-log' must be 'file', 'stdout' or 'off'");
        assertThatThrownBy(() -> config("access-key.PRODUCER.role", "x"))
                .hasMessageContaining("unknown setting 'access-key.PRODUCER.role'");
    }
}
