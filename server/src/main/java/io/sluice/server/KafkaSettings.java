package io.sluice.server;

import static io.sluice.server.SettingRules.check;
import static io.sluice.server.SettingRules.required;
import static io.sluice.server.SettingRules.throwIfAny;

import io.sluice.source.kafka.KafkaClusters;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the Kafka clusters of MSK sources are, from the {@code msk-*} settings: the cluster of every MSK
 * cluster ARN no other setting names ({@code msk-bootstrap-servers}), clusters by ARN
 * ({@code msk-cluster.<label>.arn} with {@code msk-cluster.<label>.bootstrap-servers}), and a Kafka client
 * properties file merged into every consumer's configuration ({@code msk-client-properties}: SSL, SASL).
 * Every problem is reported at once.
 */
final class KafkaSettings {
    static final SettingFamily CLUSTERS = new SettingFamily("msk-cluster", "label", Set.of("arn", "bootstrap-servers"));

    /** What Firehose accepts as an MSK cluster ARN; a mapping for anything else would never apply. */
    private static final Pattern CLUSTER_ARN = Pattern.compile("arn:.*:kafka:[a-zA-Z0-9\\-]+:\\d{12}:cluster/.+");

    /** {@code host:port} pairs, comma-separated. */
    private static final Pattern SERVERS = Pattern.compile("[^,:\\s]+:\\d{1,5}(,\\s*[^,:\\s]+:\\d{1,5})*");

    private KafkaSettings() {}

    static KafkaClusters from(Settings settings) {
        List<String> problems = new ArrayList<>();
        Optional<String> defaultServers = settings.optional("msk-bootstrap-servers")
                .flatMap(value -> check(problems, () -> servers("msk-bootstrap-servers", value)));
        Map<String, String> byArn = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : settings.instances(CLUSTERS)) {
            check(problems, () -> cluster(settings, label)).ifPresent(cluster -> {
                String earlier = labels.putIfAbsent(cluster.getKey(), label);
                if (earlier != null) {
                    problems.add("settings '" + CLUSTERS.name() + "." + earlier + ".*' and '" + CLUSTERS.name() + "."
                            + label + ".*' name the same cluster " + cluster.getKey());
                } else {
                    byArn.put(cluster.getKey(), cluster.getValue());
                }
            });
        }
        Optional<Map<String, String>> properties = check(
                problems,
                () -> settings.optional("msk-client-properties")
                        .map(file -> clientProperties("msk-client-properties", Path.of(file)))
                        .orElse(Map.of()));
        throwIfAny(problems);
        return new KafkaClusters(defaultServers, byArn, properties.orElseThrow());
    }

    private static Map.Entry<String, String> cluster(Settings settings, String label) {
        String arnSetting = CLUSTERS.setting(label, "arn");
        String serversSetting = CLUSTERS.setting(label, "bootstrap-servers");
        String arn = settings.optional(arnSetting).orElseThrow(() -> required(arnSetting, CLUSTERS, label));
        if (!CLUSTER_ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException("setting '" + arnSetting
                    + "' is not an MSK cluster ARN like arn:aws:kafka:us-east-1:123456789012:cluster/NAME/UUID: "
                    + arn);
        }
        String servers = settings.optional(serversSetting).orElseThrow(() -> required(serversSetting, CLUSTERS, label));
        return Map.entry(arn, servers(serversSetting, servers));
    }

    static String servers(String setting, String value) {
        if (!SERVERS.matcher(value.trim()).matches()) {
            throw new IllegalArgumentException(
                    "setting '" + setting + "' is not a list of host:port like broker1:9092,broker2:9092: " + value);
        }
        return value.trim();
    }

    /** The Kafka client properties in {@code file}, named by {@code setting} in failures. */
    static Map<String, String> clientProperties(String setting, Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "setting '" + setting + "': cannot read the Kafka client properties " + file + ": " + e);
        }
        Map<String, String> map = new LinkedHashMap<>();
        properties
                .stringPropertyNames()
                .forEach(name -> map.put(name, properties.getProperty(name).trim()));
        return map;
    }
}
