package io.sluice.server;

import static io.sluice.server.SettingRules.check;
import static io.sluice.server.SettingRules.throwIfAny;
import static java.util.Objects.requireNonNull;

import io.sluice.api.Operation;
import io.sluice.api.auth.Credential;
import io.sluice.api.auth.KeyPermissions;
import io.sluice.api.auth.Permissions;
import io.sluice.api.auth.Statement;
import io.sluice.common.DataSize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may do what, and who can see it: the permissions of access keys ({@code access-key.<id>.user},
 * {@code .allow}, {@code .deny}: statements {@code ACTION[,ACTION…] on RESOURCE[,RESOURCE…]} separated
 * by {@code ;}), where {@code /metrics} is served ({@code metrics-host}, {@code metrics-port}: empty means
 * on the API's own address and port) behind which bearer token ({@code metrics-token}), and the audit log
 * ({@code audit-log}: {@code file}, under {@code <data-dir>/audit}, {@code stdout} or {@code off};
 * {@code audit-log-max-size}, {@code audit-log-max-files}).
 */
public record SecuritySettings(
        Permissions permissions, Optional<MetricsAddress> metricsAddress, Optional<String> metricsToken, Audit audit) {
    static final SettingFamily ACCESS_KEYS =
            new SettingFamily("access-key", "access-key-id", Set.of("user", "allow", "deny"));

    static final Map<String, String> DEFAULTS = Map.of(
            "metrics-host", "",
            "metrics-port", "",
            "metrics-token", "",
            "audit-log", "file",
            "audit-log-max-size", "64MiB",
            "audit-log-max-files", "10");

    public SecuritySettings {
        requireNonNull(permissions, "permissions is null");
        requireNonNull(metricsAddress, "metricsAddress is null");
        requireNonNull(metricsToken, "metricsToken is null");
        requireNonNull(audit, "audit is null");
    }

    /** {@code /metrics} on its own address and port (0: any free one). */
    public record MetricsAddress(String host, int port) {
        public MetricsAddress {
            requireNonNull(host, "host is null");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("setting 'metrics-port' must be between 0 and 65535: " + port);
            }
        }
    }

    public enum AuditMode {
        FILE,
        STDOUT,
        OFF
    }

    /** Where the audit log goes, and for a file, how large one grows and how many are kept. */
    public record Audit(AuditMode mode, DataSize maxFileSize, int maxFiles) {
        public Audit {
            requireNonNull(mode, "mode is null");
            requireNonNull(maxFileSize, "maxFileSize is null");
            if (maxFileSize.bytes() < 1024) {
                throw new IllegalArgumentException(
                        "setting 'audit-log-max-size' must be at least 1KiB: " + maxFileSize);
            }
            if (maxFiles < 1) {
                throw new IllegalArgumentException("setting 'audit-log-max-files' must be at least 1: " + maxFiles);
            }
        }
    }

    static SecuritySettings from(Settings settings, String apiHost, List<Credential> credentials) {
        List<String> problems = new ArrayList<>();
        Permissions permissions =
                check(problems, () -> permissions(settings, credentials)).orElse(Permissions.NONE);
        Optional<MetricsAddress> address =
                check(problems, () -> metricsAddress(settings, apiHost)).orElse(Optional.empty());
        Optional<Audit> audit = check(problems, () -> audit(settings));
        throwIfAny(problems);
        return new SecuritySettings(permissions, address, settings.optional("metrics-token"), audit.orElseThrow());
    }

    private static Permissions permissions(Settings settings, List<Credential> credentials) {
        Set<String> known =
                Arrays.stream(Operation.values()).map(Operation::modelName).collect(Collectors.toSet());
        Set<String> keys = credentials.stream().map(Credential::accessKeyId).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        Map<String, KeyPermissions> byKey = new LinkedHashMap<>();
        for (String key : settings.instances(ACCESS_KEYS)) {
            if (!keys.contains(key)) {
                problems.add("settings '" + ACCESS_KEYS.name() + "." + key + ".*' name an access key that is not in"
                        + " 'credentials'");
                continue;
            }
            check(
                            problems,
                            () -> new KeyPermissions(
                                    settings.optional(ACCESS_KEYS.setting(key, "user"))
                                            .orElse(key),
                                    statements(settings, ACCESS_KEYS.setting(key, "allow"), known),
                                    statements(settings, ACCESS_KEYS.setting(key, "deny"), known)))
                    .ifPresent(permissions -> byKey.put(key, permissions));
        }
        throwIfAny(problems);
        return new Permissions(byKey);
    }

    private static List<Statement> statements(Settings settings, String name, Set<String> known) {
        List<Statement> statements = new ArrayList<>();
        for (String text : settings.optional(name).orElse("").split(";")) {
            if (!text.isBlank()) {
                try {
                    statements.add(Statement.parse(text, known));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("setting '" + name + "': " + e.getMessage());
                }
            }
        }
        return statements;
    }

    private static Optional<MetricsAddress> metricsAddress(Settings settings, String apiHost) {
        Optional<String> host = settings.optional("metrics-host");
        Optional<String> port = settings.optional("metrics-port");
        if (port.isEmpty()) {
            if (host.isPresent()) {
                throw new IllegalArgumentException("setting 'metrics-host' needs 'metrics-port'");
            }
            return Optional.empty();
        }
        return Optional.of(new MetricsAddress(host.orElse(apiHost), settings.integer("metrics-port")));
    }

    private static Audit audit(Settings settings) {
        AuditMode mode = switch (settings.string("audit-log")) {
            case "file" -> AuditMode.FILE;
            case "stdout" -> AuditMode.STDOUT;
            case "off" -> AuditMode.OFF;
            default ->
                throw new IllegalArgumentException(
                        "setting 'audit-log' must be 'file', 'stdout' or 'off': " + settings.string("audit-log"));
        };
        return new Audit(mode, settings.size("audit-log-max-size"), settings.integer("audit-log-max-files"));
    }
}
