package io.sluice.server;

import static io.sluice.server.SettingRules.check;
import static io.sluice.server.SettingRules.throwIfAny;
import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Cluster mode, from the {@code cluster-*} settings: on when {@code cluster-kafka-bootstrap-servers} and
 * {@code cluster-postgres-url} are set (one without the other is an error), off (the embedded journal and
 * catalog files) otherwise. Every problem is reported at once.
 *
 * @param nodeId names this node in leases and logs ({@code cluster-node-id}; default the host name and a
 *     random suffix, new at every start)
 * @param kafka the Kafka client properties of the record log: {@code bootstrap.servers} and those of the
 *     {@code cluster-kafka-client-properties} file (SSL, SASL)
 * @param topicPrefix every stream's topic is this prefix and the stream's uid
 * @param replicationFactor of the topics Sluice creates; empty: the brokers' default
 * @param leaseDuration how long a node owns a stream's delivery without renewing: a node that dies has its
 *     streams taken over after at most about this long
 * @param keysDirectory the directory holding the master key every node shares (a copy on each node)
 */
public record ClusterSettings(
        String nodeId,
        Map<String, String> kafka,
        String topicPrefix,
        Optional<Short> replicationFactor,
        Postgres postgres,
        Duration leaseDuration,
        Path keysDirectory) {

    /** The catalog's database: a JDBC URL, its credentials (or the URL's), at most {@code poolSize} connections. */
    public record Postgres(String url, Optional<String> user, Optional<String> password, int poolSize) {
        public Postgres {
            requireNonNull(url, "url is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
        }
    }

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://[^/\\s]+/[^\\s]*");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{0,200}");

    public ClusterSettings {
        requireNonNull(nodeId, "nodeId is null");
        kafka = Map.copyOf(kafka);
        requireNonNull(topicPrefix, "topicPrefix is null");
        requireNonNull(replicationFactor, "replicationFactor is null");
        requireNonNull(postgres, "postgres is null");
        requireNonNull(leaseDuration, "leaseDuration is null");
        requireNonNull(keysDirectory, "keysDirectory is null");
    }

    static Optional<ClusterSettings> from(Settings settings) {
        Optional<String> servers = settings.optional("cluster-kafka-bootstrap-servers");
        Optional<String> url = settings.optional("cluster-postgres-url");
        if (servers.isEmpty() && url.isEmpty()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        if (servers.isEmpty() || url.isEmpty()) {
            problems.add("settings 'cluster-kafka-bootstrap-servers' and 'cluster-postgres-url' go together: set"
                    + " both (cluster mode) or neither");
        }
        Map<String, String> kafka = new LinkedHashMap<>();
        check(
                        problems,
                        () -> settings.optional("cluster-kafka-client-properties")
                                .map(file -> KafkaSettings.clientProperties(
                                        "cluster-kafka-client-properties", Path.of(file)))
                                .orElse(Map.of()))
                .ifPresent(kafka::putAll);
        servers.flatMap(value -> check(problems, () -> KafkaSettings.servers("cluster-kafka-bootstrap-servers", value)))
                .ifPresent(value -> kafka.put("bootstrap.servers", value));
        url.filter(value -> !JDBC_URL.matcher(value).matches())
                .ifPresent(value -> problems.add("setting 'cluster-postgres-url' is not a PostgreSQL JDBC URL like"
                        + " jdbc:postgresql://db.example.com:5432/sluice: " + value));
        String prefix = settings.string("cluster-kafka-topic-prefix");
        if (!TOPIC_PREFIX.matcher(prefix).matches()) {
            problems.add("setting 'cluster-kafka-topic-prefix' may hold only letters, digits, '.', '_' and '-' (at"
                    + " most 200): " + prefix);
        }
        Optional<Short> replication = settings.optional("cluster-kafka-replication-factor")
                .flatMap(value -> check(problems, () -> replicationFactor(value)));
        int poolSize = settings.integer("cluster-postgres-pool-size");
        if (poolSize < 2 || poolSize > 100) {
            problems.add("setting 'cluster-postgres-pool-size' must be from 2 to 100: " + poolSize);
        }
        Duration lease = settings.duration("cluster-lease-duration");
        if (lease.compareTo(Duration.ofSeconds(3)) < 0 || lease.compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add("setting 'cluster-lease-duration' must be from 3s to 10m: " + lease);
        }
        Optional<String> keys = settings.optional("cluster-keys-dir");
        if (keys.isEmpty()) {
            problems.add("setting 'cluster-keys-dir' is required in cluster mode: the directory of the master key"
                    + " every node shares (the first node makes it; copy it to the others)");
        }
        throwIfAny(problems);
        return Optional.of(new ClusterSettings(
                settings.optional("cluster-node-id").orElseGet(ClusterSettings::defaultNodeId),
                kafka,
                prefix,
                replication,
                new Postgres(
                        url.orElseThrow(),
                        settings.optional("cluster-postgres-user"),
                        settings.optional("cluster-postgres-password"),
                        poolSize),
                lease,
                Path.of(keys.orElseThrow())));
    }

    private static short replicationFactor(String value) {
        try {
            short factor = Short.parseShort(value);
            if (factor >= 1) {
                return factor;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "setting 'cluster-kafka-replication-factor' must be a number from 1 (or empty: the brokers' default): "
                        + value);
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
