package io.sluice.server;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.HttpUrl;
import io.sluice.aws.RoleAssumption;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Rules several groups of settings share (the {@code s3-*} and {@code lambda-*} ones): URLs, key pairs,
 * role assumption, and reporting every problem at once.
 */
final class SettingRules {
    private SettingRules() {}

    /** Both keys, or neither (the SDK's default chain). */
    static Optional<AccessKeys> credentials(Settings settings, String accessKey, String secretKey) {
        Optional<String> access = settings.optional(accessKey);
        Optional<String> secret = settings.optional(secretKey);
        if (access.isPresent() != secret.isPresent()) {
            throw new IllegalArgumentException(
                    "settings '" + accessKey + "' and '" + secretKey + "' go together: set both or neither");
        }
        return access.map(key -> AccessKeys.of(key, secret.orElseThrow()));
    }

    /** {@code mode} ({@code auto}, {@code always} or {@code never}) with the STS endpoint of {@code sts}. */
    static RoleAssumption roleAssumption(Settings settings, String mode, String sts) {
        RoleAssumption.Mode parsed = switch (settings.string(mode)) {
            case "auto" -> RoleAssumption.Mode.AUTO;
            case "always" -> RoleAssumption.Mode.ALWAYS;
            case "never" -> RoleAssumption.Mode.NEVER;
            default ->
                throw new IllegalArgumentException(
                        "setting '" + mode + "' must be 'auto', 'always' or 'never': " + settings.string(mode));
        };
        return new RoleAssumption(parsed, settings.optional(sts).map(value -> url(settings, sts)));
    }

    /** An {@code http} or {@code https} URL with a host. */
    static URI url(Settings settings, String name) {
        String setting = "setting '" + name + "'";
        try {
            return HttpUrl.require(new URI(settings.string(name)), setting);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(setting + " is not a URL: " + e.getMessage());
        }
    }

    static IllegalArgumentException required(String setting, SettingFamily family, String instance) {
        return new IllegalArgumentException(
                "setting '" + setting + "' is required by the other " + family.name() + "." + instance + ".* settings");
    }

    static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** What {@code parse} returns, or empty with its problem added to {@code problems}. */
    static <T> Optional<T> check(List<String> problems, Supplier<T> parse) {
        try {
            return Optional.of(parse.get());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }
}
