package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.destination.s3.MultipartPolicy;
import io.sluice.destination.s3.S3EndpointConfig;
import io.sluice.destination.s3.S3StoreConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3SettingsTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/firehose";

    @TempDir
    Path dir;

    private static Settings options(String... nameValuePairs) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            options.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return SluiceConfig.settings(null, Map.of(), options);
    }

    private Settings file(String text) throws Exception {
        Path file = dir.resolve("sluice.properties");
        Files.writeString(file, text);
        return SluiceConfig.settings(file, Map.of(), Map.of());
    }

    @Test
    void noEndpointMeansTheEmbeddedStore() throws Exception {
        assertThat(SluiceConfig.from(options()).delivery().s3()).isEmpty();
    }

    @Test
    void readsBucketEndpointsAndRoleCredentialsFromTheConfigFile() throws Exception {
        Settings settings = file("""
                s3-endpoint = http://minio.internal:9000
                s3-region = eu-west-1
                s3-access-key = minio
                s3-secret-key = minio-secret
                s3-bucket.archive.example.org.endpoint = https://s3.eu-central-1.amazonaws.com
                s3-bucket.archive.example.org.region = eu-central-1
                s3-bucket.archive.example.org.path-style = false
                s3-bucket.ceph-logs.endpoint = http://ceph.internal:7480
                s3-bucket.ceph-logs.access-key = ceph
                s3-bucket.ceph-logs.secret-key = ceph-secret
                s3-role.delivery.arn = arn:aws:iam::123456789012:role/firehose
                s3-role.delivery.access-key = delivery
                s3-role.delivery.secret-key = delivery-secret
                s3-assume-role = never
                """);

        S3StoreConfig config = SluiceConfig.from(settings).delivery().s3().orElseThrow();

        assertThat(config)
                .isEqualTo(new S3StoreConfig(
                        S3EndpointConfig.of(
                                URI.create("http://minio.internal:9000"),
                                "eu-west-1",
                                AccessKeys.of("minio", "minio-secret")),
                        Map.of(
                                "archive.example.org",
                                new S3EndpointConfig(
                                        Optional.of(URI.create("https://s3.eu-central-1.amazonaws.com")),
                                        "eu-central-1",
                                        false,
                                        Optional.empty()),
                                "ceph-logs",
                                S3EndpointConfig.of(
                                        URI.create("http://ceph.internal:7480"),
                                        "eu-west-1",
                                        AccessKeys.of("ceph", "ceph-secret"))),
                        Map.of(ROLE, AccessKeys.of("delivery", "delivery-secret")),
                        new RoleAssumption(RoleAssumption.Mode.NEVER, Optional.empty()),
                        MultipartPolicy.DEFAULT));
    }

    @Test
    void takesFamiliesAndTheRoleAssumptionFromTheCommandLine() throws Exception {
        S3StoreConfig config = S3Settings.from(options(
                        "s3-endpoint", "https://s3.us-east-1.amazonaws.com",
                        "s3-bucket.logs.endpoint", "http://127.0.0.1:9000",
                        "s3-bucket.logs.path-style", "false",
                        "s3-sts-endpoint", "http://127.0.0.1:5000"))
                .orElseThrow();

        assertThat(config.bucketEndpoints().get("logs"))
                .isEqualTo(new S3EndpointConfig(
                        Optional.of(URI.create("http://127.0.0.1:9000")), "us-east-1", false, Optional.empty()));
        assertThat(config.defaultEndpoint().pathStyle()).isTrue();
        assertThat(config.roleAssumption())
                .isEqualTo(
                        new RoleAssumption(RoleAssumption.Mode.AUTO, Optional.of(URI.create("http://127.0.0.1:5000"))));
        assertThat(S3Settings.from(options("s3-endpoint", "http://x", "s3-assume-role", "always"))
                        .orElseThrow()
                        .roleAssumption()
                        .mode())
                .isEqualTo(RoleAssumption.Mode.ALWAYS);
    }

    @Test
    void anUnknownMemberIsAnErrorNamingTheKnownOnes() throws Exception {
        assertThatThrownBy(() -> file("s3-bucket.logs.endpiont = http://x\n"))
                .hasMessage(
                        "unknown setting 's3-bucket.logs.endpiont' in config file " + dir.resolve("sluice.properties")
                                + "; settings of that family are s3-bucket.<bucket>.{access-key,endpoint,path-style,region,"
                                + "secret-key}");
        assertThatThrownBy(() -> options("s3-role.x.session-token", "t"))
                .hasMessage("unknown setting 's3-role.x.session-token' in the command line; settings of that family"
                        + " are s3-role.<label>.{access-key,arn,secret-key}");
        assertThatThrownBy(() -> options("s3-bucket.endpoint", "http://x"))
                .as("a member needs an instance")
                .hasMessageStartingWith("unknown setting 's3-bucket.endpoint' in the command line");
        assertThatThrownBy(() -> options("s3-bucket..endpoint", "http://x"))
                .hasMessageStartingWith("unknown setting 's3-bucket..endpoint'");
        assertThatThrownBy(() -> options("s3-endpiont", "http://x"))
                .hasMessageStartingWith("unknown setting 's3-endpiont' in the command line; known settings: [")
                .hasMessageContaining("s3-bucket.<bucket>.{access-key,endpoint,path-style,region,secret-key},"
                        + " s3-role.<label>.{access-key,arn,secret-key}");
    }

    @Test
    void familiesCannotBeEnvironmentVariables() {
        assertThatThrownBy(() ->
                        SluiceConfig.settings(null, Map.of("SLUICE_S3_BUCKET_LOGS_ENDPOINT", "http://x"), Map.of()))
                .hasMessage("environment variable SLUICE_S3_BUCKET_LOGS_ENDPOINT: settings"
                        + " s3-bucket.<bucket>.{access-key,endpoint,path-style,region,secret-key} can be given in the"
                        + " config file or with --set only");
    }

    @Test
    void aBucketOverrideNeedsItsEndpointAndKeysGoTogether() throws Exception {
        assertThatThrownBy(() -> S3Settings.from(options(
                        "s3-endpoint", "http://x",
                        "s3-bucket.logs.region", "eu-west-1",
                        "s3-bucket.other.endpoint", "http://y",
                        "s3-bucket.other.access-key", "key")))
                .hasMessage("setting 's3-bucket.logs.endpoint' is required by the other s3-bucket.logs.* settings;"
                        + " settings 's3-bucket.other.access-key' and 's3-bucket.other.secret-key' go together: set"
                        + " both or neither");
        assertThatThrownBy(() -> S3Settings.from(options("s3-endpoint", "http://x", "s3-secret-key", "secret")))
                .hasMessage("settings 's3-access-key' and 's3-secret-key' go together: set both or neither");
    }

    @Test
    void reportsEveryRoleProblemAtOnce() throws Exception {
        assertThatThrownBy(() -> S3Settings.from(options(
                        "s3-endpoint", "http://x",
                        "s3-role.a.arn", ROLE,
                        "s3-role.a.access-key", "a",
                        "s3-role.a.secret-key", "a-secret",
                        "s3-role.b.arn", ROLE,
                        "s3-role.b.access-key", "b",
                        "s3-role.b.secret-key", "b-secret",
                        "s3-role.c.access-key", "c",
                        "s3-role.c.secret-key", "c-secret",
                        "s3-role.d.arn", "arn:aws:s3:::bucket",
                        "s3-role.d.access-key", "d",
                        "s3-role.d.secret-key", "d-secret",
                        "s3-role.e.arn", "arn:aws:iam::123456789012:role/other")))
                .hasMessage("settings 's3-role.a.arn' and 's3-role.b.arn' name the same role " + ROLE
                        + "; setting 's3-role.c.arn' is required by the other s3-role.c.* settings"
                        + "; setting 's3-role.d.arn' is not a role ARN like arn:aws:iam::123456789012:role/NAME:"
                        + " arn:aws:s3:::bucket"
                        + "; settings 's3-role.e.access-key' and 's3-role.e.secret-key' are required by"
                        + " 's3-role.e.arn'");
    }

    @Test
    void familiesNeedAnEndpointAndTheRoleAssumptionIsCheckedWithoutOne() {
        assertThatThrownBy(() -> S3Settings.from(options("s3-assume-role", "yes")))
                .hasMessage("setting 's3-assume-role' must be 'auto', 'always' or 'never': yes");
        assertThatThrownBy(() -> S3Settings.from(options("s3-bucket.logs.endpoint", "http://x")))
                .hasMessage("settings s3-bucket.<bucket>.{access-key,endpoint,path-style,region,secret-key} and"
                        + " s3-role.<label>.{access-key,arn,secret-key} need 's3-endpoint': without it every bucket"
                        + " is in the embedded local store");
    }

    @Test
    void rejectsBadValuesNamingTheirSetting() throws Exception {
        assertThatThrownBy(() -> S3Settings.from(options(
                        "s3-endpoint", "minio:9000",
                        "s3-path-style", "yes",
                        "s3-bucket.logs.endpoint", "http://bad host",
                        "s3-assume-role", "sometimes",
                        "s3-sts-endpoint", "ftp://sts")))
                .hasMessage("setting 's3-assume-role' must be 'auto', 'always' or 'never': sometimes"
                        + "; setting 's3-endpoint' must be an http or https URL: minio:9000"
                        + "; setting 's3-bucket.logs.endpoint' is not a URL: Illegal character in authority at index"
                        + " 10: http://bad host");
        assertThatThrownBy(() -> S3Settings.from(options("s3-endpoint", "http://x", "s3-sts-endpoint", "ftp://sts")))
                .hasMessage("setting 's3-sts-endpoint' must be an http or https URL: ftp://sts");
        assertThatThrownBy(() -> S3Settings.from(options("s3-endpoint", "http://x", "s3-path-style", "yes")))
                .hasMessage("setting 's3-path-style' must be 'true' or 'false': yes");
        assertThat(S3Settings.from(options(
                                "s3-endpoint", "http://x",
                                "s3-bucket.logs.endpoint", "http://y",
                                "s3-bucket.logs.region", " "))
                        .orElseThrow()
                        .bucketEndpoints()
                        .get("logs")
                        .region())
                .as("a blank member falls back to the top-level setting")
                .isEqualTo("us-east-1");
    }
}
