package io.sluice.server;

import static io.sluice.server.SettingRules.check;
import static io.sluice.server.SettingRules.credentials;
import static io.sluice.server.SettingRules.required;
import static io.sluice.server.SettingRules.roleAssumption;
import static io.sluice.server.SettingRules.throwIfAny;
import static io.sluice.server.SettingRules.url;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.destination.s3.MultipartPolicy;
import io.sluice.destination.s3.S3EndpointConfig;
import io.sluice.destination.s3.S3StoreConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where S3 destinations write, from the {@code s3-*} settings: the default endpoint
 * ({@code s3-endpoint}, {@code s3-region}, {@code s3-path-style}, {@code s3-access-key},
 * {@code s3-secret-key}), endpoints of single buckets ({@code s3-bucket.<bucket>.*}, region and path
 * style defaulting to the top-level ones), credentials for streams by their {@code RoleARN}
 * ({@code s3-role.<label>.*}: role ARNs contain colons, which cannot be in a properties key) and when
 * to assume a stream's role through STS ({@code s3-assume-role}, {@code s3-sts-endpoint}). Empty
 * credentials mean the AWS SDK's default chain. Every problem is reported at once.
 */
final class S3Settings {
    static final SettingFamily BUCKETS = new SettingFamily(
            "s3-bucket", "bucket", Set.of("endpoint", "region", "path-style", "access-key", "secret-key"));
    static final SettingFamily ROLES = new SettingFamily("s3-role", "label", Set.of("arn", "access-key", "secret-key"));
    static final List<SettingFamily> FAMILIES = List.of(BUCKETS, ROLES);

    /** What Firehose accepts as a stream's {@code RoleARN}; a mapping for anything else would never apply. */
    private static final Pattern ROLE_ARN = Pattern.compile("arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+");

    private S3Settings() {}

    /** The store's configuration, or empty (no {@code s3-endpoint}) for the embedded local store. */
    static Optional<S3StoreConfig> from(Settings settings) {
        List<String> problems = new ArrayList<>();
        Optional<RoleAssumption> assumption =
                check(problems, () -> roleAssumption(settings, "s3-assume-role", "s3-sts-endpoint"));
        if (settings.optional("s3-endpoint").isEmpty()) {
            if (!settings.instances(BUCKETS).isEmpty()
                    || !settings.instances(ROLES).isEmpty()) {
                problems.add("settings " + BUCKETS + " and " + ROLES
                        + " need 's3-endpoint': without it every bucket is in the embedded local store");
            }
            throwIfAny(problems);
            return Optional.empty();
        }
        Optional<S3EndpointConfig> defaultEndpoint = check(
                problems,
                () -> endpoint(
                        settings, "s3-endpoint", "s3-region", "s3-path-style", "s3-access-key", "s3-secret-key"));
        Map<String, S3EndpointConfig> buckets = new LinkedHashMap<>();
        for (String bucket : settings.instances(BUCKETS)) {
            check(problems, () -> bucketEndpoint(settings, bucket))
                    .ifPresent(endpoint -> buckets.put(bucket, endpoint));
        }
        Map<String, AccessKeys> roles = roles(settings, problems);
        throwIfAny(problems);
        return Optional.of(new S3StoreConfig(
                defaultEndpoint.orElseThrow(), buckets, roles, assumption.orElseThrow(), MultipartPolicy.DEFAULT));
    }

    private static S3EndpointConfig bucketEndpoint(Settings settings, String bucket) {
        String endpoint = BUCKETS.setting(bucket, "endpoint");
        if (settings.optional(endpoint).isEmpty()) {
            throw required(endpoint, BUCKETS, bucket);
        }
        return endpoint(
                settings,
                endpoint,
                ownOrDefault(settings, BUCKETS.setting(bucket, "region"), "s3-region"),
                ownOrDefault(settings, BUCKETS.setting(bucket, "path-style"), "s3-path-style"),
                BUCKETS.setting(bucket, "access-key"),
                BUCKETS.setting(bucket, "secret-key"));
    }

    /** The name of the setting to read: {@code own} when it is set, else {@code fallback}. */
    private static String ownOrDefault(Settings settings, String own, String fallback) {
        return settings.optional(own).isPresent() ? own : fallback;
    }

    private static S3EndpointConfig endpoint(
            Settings settings, String endpoint, String region, String pathStyle, String accessKey, String secretKey) {
        String regionName = settings.optional(region)
                .orElseThrow(() -> new IllegalArgumentException("setting '" + region + "' is empty"));
        return new S3EndpointConfig(
                Optional.of(url(settings, endpoint)),
                regionName,
                settings.bool(pathStyle),
                credentials(settings, accessKey, secretKey));
    }

    /** Credentials by role ARN; each ARN once. */
    private static Map<String, AccessKeys> roles(Settings settings, List<String> problems) {
        Map<String, AccessKeys> credentials = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : settings.instances(ROLES)) {
            check(problems, () -> role(settings, label)).ifPresent(role -> {
                String earlier = labels.putIfAbsent(role.arn(), label);
                if (earlier == null) {
                    credentials.put(role.arn(), role.credentials());
                } else {
                    problems.add("settings '" + ROLES.setting(earlier, "arn") + "' and '" + ROLES.setting(label, "arn")
                            + "' name the same role " + role.arn());
                }
            });
        }
        return credentials;
    }

    private record RoleMapping(String arn, AccessKeys credentials) {}

    /** One {@code s3-role.<label>.*} group: its ARN and both keys are required. */
    private static RoleMapping role(Settings settings, String label) {
        String arnSetting = ROLES.setting(label, "arn");
        String arn = settings.optional(arnSetting).orElseThrow(() -> required(arnSetting, ROLES, label));
        if (!ROLE_ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException(
                    "setting '" + arnSetting + "' is not a role ARN like arn:aws:iam::123456789012:role/NAME: " + arn);
        }
        String accessKey = ROLES.setting(label, "access-key");
        String secretKey = ROLES.setting(label, "secret-key");
        AccessKeys credentials = credentials(settings, accessKey, secretKey)
                .orElseThrow(() -> new IllegalArgumentException(
                        "settings '" + accessKey + "' and '" + secretKey + "' are required by '" + arnSetting + "'"));
        return new RoleMapping(arn, credentials);
    }
}
