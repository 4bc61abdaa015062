package io.sluice.server;

import static io.sluice.server.SettingRules.check;
import static io.sluice.server.SettingRules.credentials;
import static io.sluice.server.SettingRules.roleAssumption;
import static io.sluice.server.SettingRules.throwIfAny;
import static io.sluice.server.SettingRules.url;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import io.sluice.source.kinesis.KinesisConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code KinesisStreamAsSource} streams read their Kinesis data stream, from the {@code kinesis-*}
 * settings: {@code kinesis-endpoint} (empty for AWS), {@code kinesis-region} (empty: the stream ARN's),
 * {@code kinesis-access-key} and {@code kinesis-secret-key} (empty: the SDK's default chain), whether the
 * stream's {@code RoleARN} is assumed ({@code kinesis-assume-role}, {@code kinesis-sts-endpoint}), how long
 * an idle shard waits between polls ({@code kinesis-poll-interval}) and how many records one {@code
 * GetRecords} asks for ({@code kinesis-get-records-limit}). Every problem is reported at once.
 */
final class KinesisSettings {
    private KinesisSettings() {}

    static KinesisConfig from(Settings settings) {
        List<String> problems = new ArrayList<>();
        Optional<RoleAssumption> assumption =
                check(problems, () -> roleAssumption(settings, "kinesis-assume-role", "kinesis-sts-endpoint"));
        Optional<Optional<URI>> endpoint = check(
                problems, () -> settings.optional("kinesis-endpoint").map(value -> url(settings, "kinesis-endpoint")));
        Optional<Optional<AccessKeys>> keys =
                check(problems, () -> credentials(settings, "kinesis-access-key", "kinesis-secret-key"));
        Optional<Duration> pollInterval = check(problems, () -> positive(settings, "kinesis-poll-interval"));
        Optional<Integer> limit = check(problems, () -> recordsPerCall(settings));
        throwIfAny(problems);
        return new KinesisConfig(
                endpoint.orElseThrow(),
                settings.optional("kinesis-region"),
                keys.orElseThrow(),
                assumption.orElseThrow(),
                pollInterval.orElseThrow(),
                limit.orElseThrow(),
                KinesisConfig.DEFAULT_BATCHES_IN_FLIGHT);
    }

    private static Duration positive(Settings settings, String name) {
        Duration value = settings.duration(name);
        if (!value.isPositive()) {
            throw new IllegalArgumentException("setting '" + name + "' must be positive: " + settings.string(name));
        }
        return value;
    }

    private static int recordsPerCall(Settings settings) {
        int value = settings.integer("kinesis-get-records-limit");
        if (value < 1 || value > KinesisConfig.MAX_RECORDS_PER_CALL) {
            throw new IllegalArgumentException("setting 'kinesis-get-records-limit' must be from 1 to "
                    + KinesisConfig.MAX_RECORDS_PER_CALL + ": " + value);
        }
        return value;
    }
}
