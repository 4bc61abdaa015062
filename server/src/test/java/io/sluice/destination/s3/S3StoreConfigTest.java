package io.sluice.destination.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.common.DataSize;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3StoreConfigTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/delivery";
    private static final String OTHER_ROLE = "arn:aws:iam::123456789012:role/unmapped";
    private static final RoleAssumption NEVER = new RoleAssumption(RoleAssumption.Mode.NEVER, Optional.empty());
    private static final S3EndpointConfig MINIO = S3EndpointConfig.of(
            URI.create("http://127.0.0.1:9000"), "us-east-1", AccessKeys.of("minio", "minio-secret-value"));
    private static final S3EndpointConfig AWS =
            new S3EndpointConfig(Optional.empty(), "eu-central-1", false, Optional.empty());

    @Test
    void bucketEndpointsOverrideTheDefaultAndRolesReplaceCredentials() {
        AccessKeys roleCredentials = AccessKeys.of("role-key", "role-secret");
        S3StoreConfig config = new S3StoreConfig(
                MINIO, Map.of("archive", AWS), Map.of(ROLE, roleCredentials), NEVER, MultipartPolicy.DEFAULT);

        assertThat(config.resolve("logs", Optional.empty())).isEqualTo(unassumed(MINIO));
        assertThat(config.resolve("archive", Optional.empty())).isEqualTo(unassumed(AWS));
        assertThat(config.resolve("logs", Optional.of(ROLE)))
                .isEqualTo(unassumed(MINIO.withCredentials(roleCredentials)));
        assertThat(config.resolve("archive", Optional.of(ROLE)).endpoint().credentials())
                .contains(roleCredentials);
        assertThat(config.resolve("archive", Optional.of(ROLE)).endpoint().region())
                .isEqualTo("eu-central-1");
        assertThat(config.resolve("logs", Optional.of(OTHER_ROLE))).isEqualTo(unassumed(MINIO));
    }

    @Test
    void automaticallyAssumesUnmappedRolesOnAwsEndpointsOnly() {
        S3EndpointConfig awsHost = new S3EndpointConfig(
                Optional.of(URI.create("https://S3.eu-central-1.AMAZONAWS.com")),
                "eu-central-1",
                false,
                Optional.empty());
        S3EndpointConfig chinaHost = new S3EndpointConfig(
                Optional.of(URI.create("https://s3.cn-north-1.amazonaws.com.cn")),
                "cn-north-1",
                false,
                Optional.empty());
        S3EndpointConfig lookalike = new S3EndpointConfig(
                Optional.of(URI.create("https://amazonaws.com.example.org")), "us-east-1", false, Optional.empty());
        S3StoreConfig config = new S3StoreConfig(
                MINIO,
                Map.of("aws", AWS, "aws-host", awsHost, "china", chinaHost, "lookalike", lookalike),
                Map.of(ROLE, AccessKeys.of("role-key", "role-secret")),
                RoleAssumption.AUTO,
                MultipartPolicy.DEFAULT);

        assertThat(config.resolve("aws", Optional.of(OTHER_ROLE)))
                .isEqualTo(new S3StoreConfig.Target(AWS, Optional.of(OTHER_ROLE)));
        assertThat(config.resolve("aws-host", Optional.of(OTHER_ROLE)).assumedRole())
                .contains(OTHER_ROLE);
        assertThat(config.resolve("china", Optional.of(OTHER_ROLE)).assumedRole())
                .contains(OTHER_ROLE);
        assertThat(config.resolve("lookalike", Optional.of(OTHER_ROLE)).assumedRole())
                .isEmpty();
        assertThat(config.resolve("logs", Optional.of(OTHER_ROLE)).assumedRole())
                .isEmpty();
        assertThat(config.resolve("aws", Optional.empty()).assumedRole()).isEmpty();
        assertThat(config.resolve("aws", Optional.of(ROLE)))
                .as("mapped credentials win over assuming the role")
                .isEqualTo(unassumed(AWS.withCredentials(AccessKeys.of("role-key", "role-secret"))));
    }

    @Test
    void assumesEveryUnmappedRoleWhenAlwaysAndNoneWhenNever() {
        RoleAssumption always = new RoleAssumption(RoleAssumption.Mode.ALWAYS, Optional.empty());
        assertThat(new S3StoreConfig(MINIO, Map.of(), Map.of(), always, MultipartPolicy.DEFAULT)
                        .resolve("logs", Optional.of(ROLE)))
                .isEqualTo(new S3StoreConfig.Target(MINIO, Optional.of(ROLE)));
        assertThat(new S3StoreConfig(AWS, Map.of(), Map.of(), NEVER, MultipartPolicy.DEFAULT)
                        .resolve("logs", Optional.of(ROLE)))
                .isEqualTo(unassumed(AWS));
        assertThatThrownBy(() -> new RoleAssumption(RoleAssumption.Mode.ALWAYS, Optional.of(URI.create("sts:9000"))))
                .hasMessage("STS endpoint must be an http or https URL: sts:9000");
    }

    private static S3StoreConfig.Target unassumed(S3EndpointConfig endpoint) {
        return new S3StoreConfig.Target(endpoint, Optional.empty());
    }

    @Test
    void multipartPartsGrowToStayWithinTenThousand() {
        MultipartPolicy policy = MultipartPolicy.DEFAULT;
        assertThat(policy.usesParts(DataSize.ofMebibytes(16))).isTrue();
        assertThat(policy.usesParts(DataSize.ofBytes(DataSize.ofMebibytes(16).bytes() - 1)))
                .isFalse();
        assertThat(policy.partBytes(DataSize.ofMebibytes(128)))
                .isEqualTo(DataSize.ofMebibytes(16).bytes());
        long huge = DataSize.ofMebibytes(16).bytes() * 10_000 + 1;
        assertThat(policy.partBytes(DataSize.ofBytes(huge)) * MultipartPolicy.MAX_PARTS)
                .isGreaterThanOrEqualTo(huge);
    }

    @Test
    void partsMustBeWhatS3Accepts() {
        assertThatThrownBy(() -> new MultipartPolicy(DataSize.ofMebibytes(16), DataSize.ofMebibytes(4)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MultipartPolicy(DataSize.ofMebibytes(16), DataSize.ofMebibytes(5 * 1024 + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MultipartPolicy(DataSize.ofBytes(0), DataSize.ofMebibytes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endpointsAreHttpUrlsAndRegionsAreNamed() {
        assertThatThrownBy(() -> S3EndpointConfig.of(URI.create("ftp://host"), "us-east-1", AccessKeys.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> S3EndpointConfig.of(URI.create("localhost:9000"), "us-east-1", AccessKeys.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new S3EndpointConfig(Optional.empty(), " ", false, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsNeverShowTheirSecret() {
        AccessKeys credentials = new AccessKeys("AKID", "very-secret", Optional.of("session-token"));
        assertThat(credentials.toString())
                .contains("AKID")
                .doesNotContain("very-secret")
                .doesNotContain("session-token");
        assertThat(MINIO.toString()).doesNotContain("minio-secret-value").contains("****");
    }
}
