package io.sluice.server;

import static java.util.Objects.requireNonNull;

import io.sluice.api.auth.Credential;
import io.sluice.catalog.CatalogLimits;
import io.sluice.common.DataSize;
import io.sluice.destination.DeliveryPolicy;
import io.sluice.destination.opensearch.SearchClustersConfig;
import io.sluice.destination.s3.S3StoreConfig;
import io.sluice.ingest.ThroughputLimits;
import io.sluice.lambda.FunctionsConfig;
import io.sluice.log.journal.FsyncPolicy;
import io.sluice.log.journal.LogConfig;
import io.sluice.source.kafka.KafkaClusters;
import io.sluice.source.kinesis.KinesisConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The validated configuration of one Sluice process. Every setting has a name usable in the config
 * file and as a command-line option ({@code --set NAME=VALUE}, or its own option for the common ones),
 * and, unless it belongs to one of the {@link #FAMILIES}, as {@code SLUICE_<NAME>} in the environment;
 * see the README's configuration reference, which lists {@link #DEFAULTS} and the families. {@code console}
 * serves the web console under {@code /console} on the API's port ({@code console}, on by default); {@code cluster},
 * when present, puts the record log in Kafka and the catalog in PostgreSQL ({@link ClusterSettings}).
 */
public record SluiceConfig(
        String host,
        int port,
        Path dataDir,
        List<Credential> credentials,
        CatalogLimits catalogLimits,
        DataSize maxRequestBody,
        LogSettings log,
        DeliverySettings delivery,
        ThroughputLimits quotas,
        TestSuiteSettings testSuite,
        Optional<TlsSettings> tls,
        SecuritySettings security,
        boolean console,
        Optional<ClusterSettings> cluster) {

    /**
     * What test suites use, each off by default: the local store served as an S3 API on the API's port
     * ({@code local-s3-api}), and {@code POST /_sluice/reset} ({@code reset-endpoint}), which deletes
     * every stream and its data.
     */
    public record TestSuiteSettings(boolean localS3Api, boolean resetEndpoint) {
        public static final TestSuiteSettings NONE = new TestSuiteSettings(false, false);
    }

    /**
     * Where S3 destinations write: {@code s3} empty means the embedded local store, objects under
     * {@code <data-dir>/buckets/<bucket>/<key>}; otherwise S3-compatible endpoints (see
     * {@link S3Settings}). {@code searchClusters} says where search destinations' clusters are (see
     * {@link OpenSearchSettings}), {@code kafka} where MSK sources' Kafka clusters are ({@link KafkaSettings}),
     * {@code kinesis} how Kinesis sources' data streams are read ({@link KinesisSettings}).
     */
    public record DeliverySettings(
            Optional<S3StoreConfig> s3,
            int maxInFlight,
            Duration minBackoff,
            Duration maxBackoff,
            int activePartitionsLimit,
            HttpEndpointSettings httpEndpoint,
            FunctionsConfig functions,
            SearchClustersConfig searchClusters,
            SplunkSettings splunk,
            KafkaClusters kafka,
            KinesisConfig kinesis) {
        /** The most active partitions Sluice lets a stream have: ten times AWS's largest quota. */
        public static final int MAX_ACTIVE_PARTITIONS_LIMIT = 50_000;

        /** Settings whose Lambda functions run on AWS Lambda, with the default active-partition limit. */
        public DeliverySettings(
                Optional<S3StoreConfig> s3,
                int maxInFlight,
                Duration minBackoff,
                Duration maxBackoff,
                HttpEndpointSettings httpEndpoint) {
            this(
                    s3,
                    maxInFlight,
                    minBackoff,
                    maxBackoff,
                    DeliveryPolicy.DEFAULT_MAX_PARTITIONS,
                    httpEndpoint,
                    FunctionsConfig.aws(),
                    SearchClustersConfig.NONE,
                    SplunkSettings.DEFAULT,
                    KafkaClusters.NONE,
                    KinesisConfig.aws());
        }

        public DeliverySettings {
            requireNonNull(functions, "functions is null");
            requireNonNull(searchClusters, "searchClusters is null");
            requireNonNull(s3, "s3 is null");
            requireNonNull(minBackoff, "minBackoff is null");
            requireNonNull(maxBackoff, "maxBackoff is null");
            requireNonNull(httpEndpoint, "httpEndpoint is null");
            requireNonNull(splunk, "splunk is null");
            requireNonNull(kafka, "kafka is null");
            requireNonNull(kinesis, "kinesis is null");
            if (activePartitionsLimit < 1 || activePartitionsLimit > MAX_ACTIVE_PARTITIONS_LIMIT) {
                throw new IllegalArgumentException("setting 'active-partitions-limit' must be from 1 to "
                        + MAX_ACTIVE_PARTITIONS_LIMIT + ": " + activePartitionsLimit);
            }
        }

        public DeliverySettings withHttpEndpoint(HttpEndpointSettings settings) {
            return new DeliverySettings(
                    s3,
                    maxInFlight,
                    minBackoff,
                    maxBackoff,
                    activePartitionsLimit,
                    settings,
                    functions,
                    searchClusters,
                    splunk,
                    kafka,
                    kinesis);
        }

        public DeliverySettings withActivePartitionsLimit(int limit) {
            return new DeliverySettings(
                    s3,
                    maxInFlight,
                    minBackoff,
                    maxBackoff,
                    limit,
                    httpEndpoint,
                    functions,
                    searchClusters,
                    splunk,
                    kafka,
                    kinesis);
        }

        public DeliverySettings withFunctions(FunctionsConfig newFunctions) {
            return new DeliverySettings(
                    s3,
                    maxInFlight,
                    minBackoff,
                    maxBackoff,
                    activePartitionsLimit,
                    httpEndpoint,
                    newFunctions,
                    searchClusters,
                    splunk,
                    kafka,
                    kinesis);
        }

        public DeliverySettings withSearchClusters(SearchClustersConfig clusters) {
            return new DeliverySettings(
                    s3,
                    maxInFlight,
                    minBackoff,
                    maxBackoff,
                    activePartitionsLimit,
                    httpEndpoint,
                    functions,
                    clusters,
                    splunk,
                    kafka,
                    kinesis);
        }

        public DeliverySettings withSplunk(SplunkSettings settings) {
            return new DeliverySettings(
                    s3,
                    maxInFlight,
                    minBackoff,
                    maxBackoff,
                    activePartitionsLimit,
                    httpEndpoint,
                    functions,
                    searchClusters,
                    settings,
                    kafka,
                    kinesis);
        }

        public DeliverySettings withKafka(KafkaClusters clusters) {
            return new DeliverySettings(
                    s3,
                    maxInFlight,
                    minBackoff,
                    maxBackoff,
                    activePartitionsLimit,
                    httpEndpoint,
                    functions,
                    searchClusters,
                    splunk,
                    clusters,
                    kinesis);
        }

        public DeliverySettings withKinesis(KinesisConfig config) {
            return new DeliverySettings(
                    s3,
                    maxInFlight,
                    minBackoff,
                    maxBackoff,
                    activePartitionsLimit,
                    httpEndpoint,
                    functions,
                    searchClusters,
                    splunk,
                    kafka,
                    config);
        }
    }

    /**
     * Splunk destinations: a PEM bundle of CA certificates trusted besides the JVM's, how long one request
     * or acknowledgement query waits for its answer, and the longest Sluice waits for an acknowledgement
     * whatever a stream's {@code HECAcknowledgmentTimeoutInSeconds} says (AWS's largest, 600 s, by default;
     * tests make it shorter than AWS's smallest, 180 s).
     */
    public record SplunkSettings(
            Optional<Path> caBundle, Duration responseTimeout, Duration acknowledgmentTimeoutLimit) {
        public static final SplunkSettings DEFAULT =
                new SplunkSettings(Optional.empty(), Duration.ofMinutes(3), Duration.ofSeconds(600));

        public SplunkSettings {
            requireNonNull(caBundle, "caBundle is null");
            requireNonNull(responseTimeout, "responseTimeout is null");
            requireNonNull(acknowledgmentTimeoutLimit, "acknowledgmentTimeoutLimit is null");
            if (!responseTimeout.isPositive() || !acknowledgmentTimeoutLimit.isPositive()) {
                throw new IllegalArgumentException(
                        "settings 'splunk-response-timeout' and 'splunk-ack-timeout-limit' must be positive");
            }
        }
    }

    /**
     * HTTP endpoint destinations: whether {@code http://} URLs are accepted (AWS accepts only
     * {@code https://}), a PEM bundle of CA certificates trusted besides the JVM's, how long one attempt
     * waits for its response, and the longest wait between attempts.
     */
    public record HttpEndpointSettings(
            boolean allowHttp, Optional<Path> caBundle, Duration responseTimeout, Duration maxBackoff) {
        public HttpEndpointSettings {
            requireNonNull(caBundle, "caBundle is null");
            requireNonNull(responseTimeout, "responseTimeout is null");
            requireNonNull(maxBackoff, "maxBackoff is null");
        }
    }

    /**
     * HTTPS for the API: the PEM certificate chain (the server's certificate first) and private key
     * files, and how often they are checked for a change (they are also reloaded on SIGHUP). With TLS
     * the port speaks HTTPS only.
     */
    public record TlsSettings(Path certificate, Path privateKey, Duration reloadInterval) {
        public TlsSettings {
            requireNonNull(certificate, "certificate is null");
            requireNonNull(privateKey, "privateKey is null");
            requireNonNull(reloadInterval, "reloadInterval is null");
            if (reloadInterval.isNegative() || reloadInterval.isZero()) {
                throw new IllegalArgumentException("setting 'tls-reload-interval' must be positive: " + reloadInterval);
            }
        }
    }

    /** How the record log stores records; the log's directory is {@code <data-dir>/log}. */
    public record LogSettings(DataSize segmentSize, FsyncPolicy fsyncPolicy, Duration retention, DataSize maxSize) {
        public LogSettings {
            requireNonNull(segmentSize, "segmentSize is null");
            requireNonNull(fsyncPolicy, "fsyncPolicy is null");
            requireNonNull(retention, "retention is null");
            requireNonNull(maxSize, "maxSize is null");
        }

        public LogConfig toLogConfig(Path directory) {
            return new LogConfig(directory, segmentSize, fsyncPolicy, retention, maxSize);
        }
    }

    /** The development credentials used when none are configured; accepted on loopback only. */
    public static final Credential DEVELOPMENT_CREDENTIAL = new Credential("test", "test", "000000000000");

    static final Map<String, String> DEFAULTS = defaults();

    /**
     * Settings without defaults, named by the operator: {@code s3-bucket.<bucket>.*}, {@code s3-role.<label>.*},
     * {@code lambda-function.<label>.*}, {@code opensearch-domain.<label>.*},
     * {@code msk-cluster.<label>.*}.
     */
    static final List<SettingFamily> FAMILIES = families();

    public SluiceConfig {
        requireNonNull(host, "host is null");
        requireNonNull(dataDir, "dataDir is null");
        credentials = List.copyOf(credentials);
        requireNonNull(catalogLimits, "catalogLimits is null");
        requireNonNull(maxRequestBody, "maxRequestBody is null");
        requireNonNull(log, "log is null");
        requireNonNull(delivery, "delivery is null");
        requireNonNull(quotas, "quotas is null");
        requireNonNull(testSuite, "testSuite is null");
        if (testSuite.localS3Api() && delivery.s3().isPresent()) {
            throw new IllegalArgumentException("setting 'local-s3-api' serves the embedded local store, which is not"
                    + " used when 's3-endpoint' is set: turn one of them off");
        }
        requireNonNull(tls, "tls is null");
        requireNonNull(security, "security is null");
        log.toLogConfig(dataDir.resolve("log"));
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (credentials.isEmpty()) {
            throw new IllegalArgumentException("at least one credential is required");
        }
        if (credentials.contains(DEVELOPMENT_CREDENTIAL) && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to listen on " + host + " with the development credentials"
                    + " (access key 'test'): they are accepted on a loopback address only. Configure your own"
                    + " with the 'credentials' setting (SLUICE_CREDENTIALS) to listen on other addresses.");
        }
    }

    /**
     * Sluice's settings from {@code configFile} (null: none), the environment and command-line options,
     * over the {@link #DEFAULTS}; any name not in them nor in the {@link #FAMILIES} is an error.
     */
    static Settings settings(Path configFile, Map<String, String> environment, Map<String, String> options)
            throws IOException {
        return Settings.load(DEFAULTS, FAMILIES, configFile, environment, options);
    }

    /** A configuration for tests and embedding: loopback, the given port and data dir, defaults elsewhere. */
    public static SluiceConfig local(int port, Path dataDir) {
        try {
            return from(
                    settings(null, Map.of(), Map.of("port", Integer.toString(port), "data-dir", dataDir.toString())));
        } catch (IOException e) {
            throw new IllegalStateException("no file is read here", e);
        }
    }

    static SluiceConfig from(Settings settings) {
        List<Credential> credentials = credentials(settings.string("credentials"));
        return new SluiceConfig(
                settings.string("host"),
                settings.integer("port"),
                Path.of(settings.string("data-dir")),
                credentials,
                new CatalogLimits(
                        settings.integer("streams-per-account-region"), settings.duration("stream-transition-delay")),
                settings.size("max-request-body"),
                new LogSettings(
                        settings.size("log-segment-size"),
                        fsyncPolicy(settings),
                        settings.duration("retention"),
                        settings.size("log-max-size")),
                new DeliverySettings(
                        S3Settings.from(settings),
                        settings.integer("delivery-max-in-flight"),
                        settings.duration("delivery-min-backoff"),
                        settings.duration("delivery-max-backoff"),
                        settings.integer("active-partitions-limit"),
                        new HttpEndpointSettings(
                                settings.bool("http-endpoint-allow-http"),
                                settings.string("http-endpoint-ca-bundle").isBlank()
                                        ? Optional.empty()
                                        : Optional.of(Path.of(settings.string("http-endpoint-ca-bundle"))),
                                settings.duration("http-endpoint-response-timeout"),
                                settings.duration("http-endpoint-max-backoff")),
                        LambdaSettings.from(settings),
                        OpenSearchSettings.from(settings),
                        new SplunkSettings(
                                settings.string("splunk-ca-bundle").isBlank()
                                        ? Optional.empty()
                                        : Optional.of(Path.of(settings.string("splunk-ca-bundle"))),
                                settings.duration("splunk-response-timeout"),
                                settings.duration("splunk-ack-timeout-limit")),
                        KafkaSettings.from(settings),
                        KinesisSettings.from(settings)),
                new ThroughputLimits(
                        nonNegative(settings, "quota-records-per-second"),
                        nonNegative(settings, "quota-requests-per-second"),
                        settings.size("quota-bytes-per-second")),
                new TestSuiteSettings(settings.bool("local-s3-api"), settings.bool("reset-endpoint")),
                tls(settings),
                SecuritySettings.from(settings, settings.string("host"), credentials),
                settings.bool("console"),
                ClusterSettings.from(settings));
    }

    /** Both files or neither. */
    private static Optional<TlsSettings> tls(Settings settings) {
        Optional<String> certificate = settings.optional("tls-certificate");
        Optional<String> privateKey = settings.optional("tls-private-key");
        if (certificate.isPresent() != privateKey.isPresent()) {
            throw new IllegalArgumentException(
                    "settings 'tls-certificate' and 'tls-private-key' go together: set both or neither");
        }
        return certificate.map(file -> new TlsSettings(
                Path.of(file), Path.of(privateKey.orElseThrow()), settings.duration("tls-reload-interval")));
    }

    private static int nonNegative(Settings settings, String name) {
        int value = settings.integer(name);
        if (value < 0) {
            throw new IllegalArgumentException("setting '" + name + "' must be 0 (unlimited) or more: " + value);
        }
        return value;
    }

    private static FsyncPolicy fsyncPolicy(Settings settings) {
        return switch (settings.string("fsync")) {
            case "always" -> FsyncPolicy.ALWAYS;
            case "interval" -> FsyncPolicy.interval(settings.duration("fsync-interval"));
            default ->
                throw new IllegalArgumentException(
                        "setting 'fsync' must be 'always' or 'interval': " + settings.string("fsync"));
        };
    }

    public SluiceConfig withTransitionDelay(Duration delay) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                credentials,
                new CatalogLimits(catalogLimits.streamsPerAccountAndRegion(), delay),
                maxRequestBody,
                log,
                delivery,
                quotas,
                testSuite,
                tls,
                security,
                console,
                cluster);
    }

    public SluiceConfig withStreamLimit(int streamsPerAccountAndRegion) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                credentials,
                new CatalogLimits(streamsPerAccountAndRegion, catalogLimits.transitionDelay()),
                maxRequestBody,
                log,
                delivery,
                quotas,
                testSuite,
                tls,
                security,
                console,
                cluster);
    }

    public SluiceConfig withHost(String newHost) {
        return new SluiceConfig(
                newHost,
                port,
                dataDir,
                credentials,
                catalogLimits,
                maxRequestBody,
                log,
                delivery,
                quotas,
                testSuite,
                tls,
                security,
                console,
                cluster);
    }

    public SluiceConfig withTestSuite(TestSuiteSettings newTestSuite) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                credentials,
                catalogLimits,
                maxRequestBody,
                log,
                delivery,
                quotas,
                newTestSuite,
                tls,
                security,
                console,
                cluster);
    }

    public SluiceConfig withCredentials(List<Credential> newCredentials) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                newCredentials,
                catalogLimits,
                maxRequestBody,
                log,
                delivery,
                quotas,
                testSuite,
                tls,
                security,
                console,
                cluster);
    }

    public SluiceConfig withLog(LogSettings newLog) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                credentials,
                catalogLimits,
                maxRequestBody,
                newLog,
                delivery,
                quotas,
                testSuite,
                tls,
                security,
                console,
                cluster);
    }

    public SluiceConfig withDelivery(DeliverySettings newDelivery) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                credentials,
                catalogLimits,
                maxRequestBody,
                log,
                newDelivery,
                quotas,
                testSuite,
                tls,
                security,
                console,
                cluster);
    }

    public SluiceConfig withTls(TlsSettings newTls) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                credentials,
                catalogLimits,
                maxRequestBody,
                log,
                delivery,
                quotas,
                testSuite,
                Optional.of(newTls),
                security,
                console,
                cluster);
    }

    public SluiceConfig withQuotas(ThroughputLimits newQuotas) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                credentials,
                catalogLimits,
                maxRequestBody,
                log,
                delivery,
                newQuotas,
                testSuite,
                tls,
                security,
                console,
                cluster);
    }

    public SluiceConfig withConsole(boolean on) {
        return new SluiceConfig(
                host,
                port,
                dataDir,
                credentials,
                catalogLimits,
                maxRequestBody,
                log,
                delivery,
                quotas,
                testSuite,
                tls,
                security,
                on,
                cluster);
    }

    /** {@code ACCESS_KEY:SECRET:ACCOUNT_ID}, comma-separated; empty means the development credentials. */
    private static List<Credential> credentials(String text) {
        if (text.isBlank()) {
            return List.of(DEVELOPMENT_CREDENTIAL);
        }
        List<Credential> credentials = new ArrayList<>();
        for (String entry : text.split(",")) {
            String[] parts = entry.trim().split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException(
                        "setting 'credentials': each entry must be ACCESS_KEY:SECRET:ACCOUNT_ID (12 digits)");
            }
            credentials.add(new Credential(parts[0].trim(), parts[1].trim(), parts[2].trim()));
        }
        return credentials;
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host " + host, e);
        }
    }

    private static List<SettingFamily> families() {
        List<SettingFamily> families = new ArrayList<>(S3Settings.FAMILIES);
        families.add(LambdaSettings.FUNCTIONS);
        families.add(OpenSearchSettings.DOMAINS);
        families.add(KafkaSettings.CLUSTERS);
        families.add(SecuritySettings.ACCESS_KEYS);
        return List.copyOf(families);
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("host", "127.0.0.1");
        defaults.put("port", "4573");
        defaults.put("data-dir", "./data");
        defaults.put("credentials", "");
        defaults.put("tls-certificate", "");
        defaults.put("tls-private-key", "");
        defaults.put("tls-reload-interval", "5s");
        defaults.put("streams-per-account-region", "5000");
        defaults.put("stream-transition-delay", "500ms");
        defaults.put("max-request-body", "8MiB");
        defaults.put("fsync", "always");
        defaults.put("fsync-interval", "100ms");
        defaults.put("retention", "24h");
        defaults.put("log-segment-size", "128MiB");
        defaults.put("log-max-size", "16GiB");
        defaults.put("s3-endpoint", "");
        defaults.put("s3-region", "us-east-1");
        defaults.put("s3-path-style", "true");
        defaults.put("s3-access-key", "");
        defaults.put("s3-secret-key", "");
        defaults.put("s3-assume-role", "auto");
        defaults.put("s3-sts-endpoint", "");
        defaults.put("delivery-max-in-flight", "8");
        defaults.put("delivery-min-backoff", "1s");
        defaults.put("delivery-max-backoff", "10s");
        defaults.put("active-partitions-limit", "500");
        defaults.put("quota-records-per-second", "0");
        defaults.put("quota-requests-per-second", "0");
        defaults.put("quota-bytes-per-second", "0");
        defaults.put("http-endpoint-allow-http", "false");
        defaults.put("http-endpoint-ca-bundle", "");
        defaults.put("http-endpoint-response-timeout", "3m");
        defaults.put("http-endpoint-max-backoff", "120s");
        defaults.put("lambda-endpoint", "");
        defaults.put("lambda-region", "");
        defaults.put("lambda-access-key", "");
        defaults.put("lambda-secret-key", "");
        defaults.put("lambda-assume-role", "auto");
        defaults.put("lambda-sts-endpoint", "");
        defaults.put("msk-bootstrap-servers", "");
        defaults.put("msk-client-properties", "");
        defaults.put("opensearch-endpoint", "");
        defaults.put("opensearch-username", "");
        defaults.put("opensearch-password", "");
        defaults.put("opensearch-region", "");
        defaults.put("opensearch-ca-bundle", "");
        defaults.put("opensearch-access-key", "");
        defaults.put("opensearch-secret-key", "");
        defaults.put("opensearch-assume-role", "auto");
        defaults.put("opensearch-sts-endpoint", "");
        defaults.put("opensearch-response-timeout", "3m");
        defaults.put("splunk-ca-bundle", "");
        defaults.put("splunk-response-timeout", "3m");
        defaults.put("splunk-ack-timeout-limit", "600s");
        defaults.put("kinesis-endpoint", "");
        defaults.put("kinesis-region", "");
        defaults.put("kinesis-access-key", "");
        defaults.put("kinesis-secret-key", "");
        defaults.put("kinesis-assume-role", "auto");
        defaults.put("kinesis-sts-endpoint", "");
        defaults.put("kinesis-poll-interval", "1s");
        defaults.put("kinesis-get-records-limit", "10000");
        defaults.put("local-s3-api", "false");
        defaults.put("reset-endpoint", "false");
        defaults.putAll(new TreeMap<>(SecuritySettings.DEFAULTS));
        defaults.put("console", "true");
        defaults.put("cluster-kafka-bootstrap-servers", "");
        defaults.put("cluster-kafka-client-properties", "");
        defaults.put("cluster-kafka-topic-prefix", "sluice.");
        defaults.put("cluster-kafka-replication-factor", "");
        defaults.put("cluster-postgres-url", "");
        defaults.put("cluster-postgres-user", "");
        defaults.put("cluster-postgres-password", "");
        defaults.put("cluster-postgres-pool-size", "8");
        defaults.put("cluster-node-id", "");
        defaults.put("cluster-lease-duration", "10s");
        defaults.put("cluster-keys-dir", "");
        return java.util.Collections.unmodifiableMap(defaults);
    }
}
