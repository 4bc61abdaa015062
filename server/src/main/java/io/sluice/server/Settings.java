package io.sluice.server;

import io.sluice.common.DataSize;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Raw settings by name, gathered from (lowest to highest precedence) the defaults, a config file in
 * Java properties format ({@code port = 4573}), {@code SLUICE_*} environment variables
 * ({@code SLUICE_DATA_DIR} for {@code data-dir}) and command-line options. A name is known when it has
 * a default or is a member of one of the {@link SettingFamily families}, which have no defaults and
 * cannot be environment variables (their names need dots). An unknown name in the file or on the
 * command line is an error, so a typo never passes silently. The environment is shared with other
 * programs, so an unknown {@code SLUICE_*} variable is only a {@linkplain #warnings() warning}, and
 * Kubernetes' {@linkplain ServiceLinks service links} for a Service named {@code sluice} are ignored.
 */
final class Settings {
    /** Variables read by the start script and the logging configuration, not by Settings. */
    private static final Set<String> NOT_SETTINGS = Set.of("SLUICE_JAVA_OPTS", "SLUICE_LOG_LEVEL", "SLUICE_CONFIG");

    private final Map<String, String> values;
    private final List<String> warnings;

    private Settings(Map<String, String> values, List<String> warnings) {
        this.values = Map.copyOf(values);
        this.warnings = List.copyOf(warnings);
    }

    static Settings load(
            Map<String, String> defaults,
            List<SettingFamily> families,
            Path configFile,
            Map<String, String> environment,
            Map<String, String> options)
            throws IOException {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        if (configFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                file.load(reader);
            }
            for (String name : file.stringPropertyNames()) {
                requireKnown(defaults, families, name, "config file " + configFile);
                merged.put(name, file.getProperty(name).trim());
            }
        }
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String key = variable.getKey();
            if (!key.startsWith("SLUICE_")
                    || NOT_SETTINGS.contains(key)
                    || ServiceLinks.isServiceLink(key, variable.getValue())) {
                continue;
            }
            String name =
                    key.substring("SLUICE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
            for (SettingFamily family : families) {
                if (name.startsWith(family.name() + "-")) {
                    throw new IllegalArgumentException("environment variable " + key + ": settings " + family
                            + " can be given in the config file or with --set only");
                }
            }
            if (defaults.containsKey(name)) {
                merged.put(name, variable.getValue().trim());
            } else {
                warnings.add("environment variable " + key + " is ignored: there is no setting '" + name + "'");
            }
        }
        for (Map.Entry<String, String> option : options.entrySet()) {
            requireKnown(defaults, families, option.getKey(), "the command line");
            merged.put(option.getKey(), option.getValue().trim());
        }
        return new Settings(merged, warnings);
    }

    private static void requireKnown(
            Map<String, String> defaults, List<SettingFamily> families, String name, String source) {
        if (defaults.containsKey(name)) {
            return;
        }
        for (SettingFamily family : families) {
            if (family.accepts(name)) {
                return;
            }
            if (family.covers(name)) {
                throw new IllegalArgumentException(
                        "unknown setting '" + name + "' in " + source + "; settings of that family are " + family);
            }
        }
        throw new IllegalArgumentException("unknown setting '" + name + "' in " + source + "; known settings: "
                + new TreeSet<>(defaults.keySet()) + " and " + families);
    }

    /**
     * What was ignored while loading: one sentence per unknown {@code SLUICE_*} environment variable,
     * in variable name order, for the caller to log once.
     */
    List<String> warnings() {
        return warnings;
    }

    /** The instances of {@code family} that have any member set, in name order. */
    SortedSet<String> instances(SettingFamily family) {
        SortedSet<String> instances = new TreeSet<>();
        for (String name : values.keySet()) {
            if (family.accepts(name)) {
                instances.add(family.instanceOf(name));
            }
        }
        return instances;
    }

    /** The value of {@code name}, absent when it is not set or blank (family members have no defaults). */
    Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name)).filter(value -> !value.isBlank());
    }

    String string(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("setting '" + name + "' is not defined");
        }
        return value;
    }

    boolean bool(String name) {
        return switch (string(name)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new IllegalArgumentException("setting '" + name + "' must be 'true' or 'false': " + string(name));
        };
    }

    int integer(String name) {
        try {
            return Integer.parseInt(string(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + name + "' is not a whole number: " + string(name));
        }
    }

    DataSize size(String name) {
        try {
            return DataSize.parse(string(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting '" + name + "': " + e.getMessage());
        }
    }

    /**
     * A duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 24h}, ISO-8601 such as {@code PT5S}, or
     * {@code 0} without a unit.
     */
    Duration duration(String name) {
        String text = string(name).trim().toLowerCase(Locale.ROOT);
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        try {
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException("unknown unit");
            };
        } catch (DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(
                    "setting '" + name + "' is not a duration (like 500ms, 30s, 5m, 24h): " + string(name));
        }
    }
}
