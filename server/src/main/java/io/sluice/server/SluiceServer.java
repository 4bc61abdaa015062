package io.sluice.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.ApiJson;
import io.sluice.api.ControlPlane;
import io.sluice.api.DataPlane;
import io.sluice.api.FirehoseHandler;
import io.sluice.api.GuardedOperations;
import io.sluice.api.ManagementHandler;
import io.sluice.api.Operations;
import io.sluice.api.PutRecordsReader;
import io.sluice.api.Reset;
import io.sluice.api.TestSuiteHandler;
import io.sluice.api.audit.AuditFile;
import io.sluice.api.audit.AuditPrinter;
import io.sluice.api.audit.AuditTrail;
import io.sluice.api.auth.CredentialStore;
import io.sluice.api.auth.SigV4Verifier;
import io.sluice.api.auth.SignedService;
import io.sluice.api.model.ServiceModel;
import io.sluice.api.s3.LocalS3Api;
import io.sluice.catalog.Catalog;
import io.sluice.catalog.CatalogListener;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.SecretSeal;
import io.sluice.console.Console;
import io.sluice.console.DeliveryEvents;
import io.sluice.delivery.DeliveryConfig;
import io.sluice.delivery.DeliveryEngine;
import io.sluice.delivery.DeliveryMetrics;
import io.sluice.delivery.RecordPayloads;
import io.sluice.destination.DestinationRegistry;
import io.sluice.destination.DestinationType;
import io.sluice.destination.http.HttpEndpointDestinationType;
import io.sluice.destination.http.HttpEndpointTransport;
import io.sluice.destination.opensearch.SearchClusters;
import io.sluice.destination.opensearch.SearchDestinationType;
import io.sluice.destination.opensearch.WeekNumbering;
import io.sluice.destination.s3.LocalObjectStore;
import io.sluice.destination.s3.ObjectStore;
import io.sluice.destination.s3.S3BackupStore;
import io.sluice.destination.s3.S3DestinationType;
import io.sluice.destination.s3.SdkObjectStore;
import io.sluice.destination.splunk.SplunkDestinationType;
import io.sluice.ingest.ThroughputQuotas;
import io.sluice.ingest.crypto.DataKeys;
import io.sluice.ingest.crypto.Enablement;
import io.sluice.ingest.crypto.MasterKey;
import io.sluice.ingest.crypto.RecordDecryptor;
import io.sluice.ingest.crypto.RecordEncryptor;
import io.sluice.ingest.crypto.SecretSealer;
import io.sluice.lambda.FunctionInvoker;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamReader;
import io.sluice.metrics.Metrics;
import io.sluice.processor.LambdaProcessor;
import io.sluice.processor.ProcessorStages;
import io.sluice.source.SourceConnector;
import io.sluice.source.Sources;
import io.sluice.source.kafka.KafkaConnector;
import io.sluice.source.kinesis.KinesisConnector;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every part from a {@link SluiceConfig}, starts them, and stops them. */
public final class SluiceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);
    /**
     * The most one socket read takes of a request (Jetty's default is 8 KiB): a PutRecordBatch body of 700 KB
     * needs 11 reads or more instead of 86 or more; the socket reads' share of the CPU samples at 500 × 1 KiB
     * fell from 5.3 % to 4.2 % (BENCHMARKS.md, issue 16). Jetty takes the buffer from its pool while a
     * connection has unread bytes and gives it back when it has none.
     */
    private static final int INPUT_BUFFER_BYTES = 64 * 1024;

    private final Server http;
    private final ServerConnector connector;
    private final Optional<ManagementServer> management;
    private final AuditTrail audit;
    private final Optional<ServerTls> tls;
    private final ScheduledExecutorService scheduler;
    private final NodeStorage storage;
    private final ObjectStore store;
    private final HttpEndpointTransport httpEndpoints;
    private final SearchClusters searchClusters;
    private final HttpEndpointTransport splunkCollectors;
    private final FunctionInvoker functions;
    private final DeliveryEngine delivery;
    private final Sources sources;
    private final Optional<Console> console;
    private final AtomicBoolean ready = new AtomicBoolean();

    private SluiceServer(
            SluiceConfig config,
            Clock clock,
            NodeStorage storage,
            DataKeys keys,
            SecretSeal secrets,
            AuditTrail audit,
            Metrics metrics,
            ScheduledExecutorService scheduler,
            List<DestinationType<?>> extraTypes)
            throws IOException {
        this.storage = storage;
        RecordLog log = storage.log();
        this.scheduler = scheduler;
        ThroughputQuotas quotas = new ThroughputQuotas(config.quotas(), clock);
        Path staging = config.dataDir().resolve("staging");
        Optional<LocalObjectStore> localStore = config.delivery().s3().isPresent()
                ? Optional.empty()
                : Optional.of(LocalObjectStore.inDataDirectory(config.dataDir(), UUID::randomUUID));
        this.store = localStore.isPresent()
                ? localStore.get()
                : new SdkObjectStore(config.delivery().s3().get());
        SluiceConfig.HttpEndpointSettings endpointSettings = config.delivery().httpEndpoint();
        this.httpEndpoints = HttpEndpointTransport.create(
                new HttpEndpointTransport.Config(endpointSettings.responseTimeout(), endpointSettings.caBundle()));
        this.searchClusters = SearchClusters.open(config.delivery().searchClusters(), clock);
        SluiceConfig.SplunkSettings splunk = config.delivery().splunk();
        this.splunkCollectors = HttpEndpointTransport.create(
                new HttpEndpointTransport.Config(splunk.responseTimeout(), splunk.caBundle()));
        this.functions = config.delivery().functions().open(clock);
        ProcessorStages processors = new ProcessorStages(functions, LambdaProcessor.Settings.DEFAULT, metrics);
        List<DestinationType<?>> types = new ArrayList<>(destinationTypes(
                store,
                httpEndpoints,
                searchClusters,
                new SplunkDestinationType(
                        splunkCollectors,
                        splunk.acknowledgmentTimeoutLimit(),
                        staging,
                        processors,
                        metrics,
                        clock,
                        UUID::randomUUID),
                processors,
                config.delivery().activePartitionsLimit(),
                staging,
                clock));
        types.addAll(extraTypes);
        DestinationRegistry destinations = new DestinationRegistry(types);
        DeliveryEvents deliveryEvents = new DeliveryEvents(new DeliveryMetrics(metrics, destinations), clock);
        this.delivery = new DeliveryEngine(
                log,
                destinations,
                new S3BackupStore(store, staging, clock, UUID::randomUUID),
                decryptingPayloads(keys),
                deliveryEvents,
                new DeliveryConfig(
                        staging,
                        config.delivery().maxInFlight(),
                        Duration.ofMillis(50),
                        config.delivery().minBackoff(),
                        config.delivery().maxBackoff(),
                        endpointSettings.maxBackoff(),
                        config.log().retention()),
                clock,
                new SplittableRandom());
        this.sources = new Sources(
                log,
                sourceConnectors(config),
                storage.checkpoints(),
                metrics,
                clock,
                new Sources.Backoff(
                        config.delivery().minBackoff(), config.delivery().maxBackoff()));
        OwnedStreams owned = new OwnedStreams(delivery, sources);
        Catalog catalog = new Catalog(
                storage.catalog(destinations, secrets),
                clock,
                config.catalogLimits(),
                scheduler,
                new CatalogListener() {
                    @Override
                    public void changed(DeliveryStream stream) {
                        metrics.gauge(
                                destinations.policy(stream).metrics().dataFreshness(),
                                stream.ref(),
                                new StreamKey(stream.uid()),
                                key -> dataFreshnessSeconds(log, key, clock));
                        Enablement.of(stream).ifPresent(enablement -> makeDataKey(keys, stream, enablement));
                        owned.changed(stream);
                    }

                    @Override
                    public void removed(DeliveryStream stream) {
                        owned.removed(stream);
                        metrics.removeStream(stream.ref());
                        log.deleteStream(new StreamKey(stream.uid()));
                        quotas.forget(stream);
                        deleteDataKeys(keys, stream);
                    }
                });
        catalog.all().forEach(owned::changed);
        owned.start(storage.ownership(owned::active, owned));
        scheduler.scheduleWithFixedDelay(storage::maintain, 1, 1, TimeUnit.MINUTES);
        ServiceModel model = endpointSettings.allowHttp()
                ? ServiceModel.firehoseAllowingPlainHttpEndpoints()
                : ServiceModel.firehose();
        ObjectMapper json = ApiJson.mapper(config.maxRequestBody());
        SecuritySettings security = config.security();
        this.audit = audit;
        GuardedOperations operations = new GuardedOperations(
                security.permissions(),
                new Operations(
                        model,
                        json,
                        new ControlPlane(catalog, destinations),
                        new DataPlane(
                                catalog,
                                log,
                                new PutRecordsReader(model, json),
                                quotas,
                                new RecordEncryptor(keys),
                                clock,
                                metrics)),
                audit,
                json.getFactory());
        FirehoseHandler firehose = new FirehoseHandler(
                new SigV4Verifier(CredentialStore.of(config.credentials()), clock),
                operations,
                config.maxRequestBody());
        Handler handler = new Handler.Sequence(
                security.metricsAddress().isPresent()
                        ? ManagementHandler.healthOnly(ready::get)
                        : ManagementHandler.withMetrics(ready::get, metrics, security.metricsToken()),
                firehose);
        this.management = security.metricsAddress()
                .map(address -> new ManagementServer(
                        address, ManagementHandler.withMetrics(ready::get, metrics, security.metricsToken())));

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("sluice-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendDateHeader(true);
        // Jetty's per-connection header cache keeps Authorization values; every SigV4 signature differs, so the
        // cache only made each later header walk the long prefix its cached values share (a tenth of a
        // PutRecord's CPU), and saved nothing.
        httpConfig.setHeaderCacheSize(0);
        httpConfig.setInputBufferSize(INPUT_BUFFER_BYTES);
        if (config.testSuite().localS3Api()) {
            // S3 keys may hold '%', which clients send as %25: Jetty refuses that as ambiguous by default.
            httpConfig.setUriCompliance(
                    UriCompliance.DEFAULT.with("s3-keys", UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        }
        this.tls = config.tls().isPresent()
                ? Optional.of(ServerTls.open(config.tls().get(), clock))
                : Optional.empty();
        connector = tls.map(t -> httpsConnector(httpConfig, t))
                .orElseGet(() -> new ServerConnector(http, new HttpConnectionFactory(httpConfig)));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setAcceptedTcpNoDelay(true);
        http.addConnector(connector);
        Handler api = withTestSuiteParts(handler, config, clock, catalog, localStore);
        this.console = config.console()
                ? Optional.of(Console.start(
                        api,
                        new Console.Parts(
                                CredentialStore.of(config.credentials()),
                                security.permissions(),
                                operations,
                                json,
                                catalog,
                                destinations,
                                metrics,
                                log,
                                deliveryEvents,
                                store),
                        scheduler,
                        clock))
                : Optional.empty();
        http.setHandler(console.<Handler>map(Console::handler).orElse(api));
        http.setStopTimeout(5_000);
        config.tls()
                .ifPresent(settings -> scheduler.scheduleWithFixedDelay(
                        this::reloadTlsIfChanged,
                        settings.reloadInterval().toMillis(),
                        settings.reloadInterval().toMillis(),
                        TimeUnit.MILLISECONDS));
    }

    /**
     * HTTPS only: TLS through Jetty's SSLEngine, then HTTP/1.1. The SNI host is not checked against the
     * certificate: checking the name is the client's part.
     */
    private ServerConnector httpsConnector(HttpConfiguration httpConfig, ServerTls serverTls) {
        HttpConfiguration httpsConfig = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        httpsConfig.addCustomizer(secure);
        return new ServerConnector(
                http,
                new SslConnectionFactory(serverTls.factory(), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(httpsConfig));
    }

    /** Builds and starts a server; it answers {@code GET /health} with 200 when this returns. */
    public static SluiceServer start(SluiceConfig config, Clock clock) throws Exception {
        return start(config, clock, List.of());
    }

    /**
     * Builds and starts a server that also delivers to {@code extraTypes} (destinations tests add),
     * registered after Sluice's own.
     */
    public static SluiceServer start(SluiceConfig config, Clock clock, List<DestinationType<?>> extraTypes)
            throws Exception {
        requireNonNull(config, "config is null");
        requireNonNull(extraTypes, "extraTypes is null");
        Files.createDirectories(config.dataDir());
        SecureRandom random = new SecureRandom();
        AuditTrail audit = audit(config.security().audit(), config.dataDir(), clock);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-scheduler").daemon(true).factory());
        Metrics metrics = new Metrics();
        NodeStorage storage;
        try {
            storage = config.cluster().isPresent()
                    ? ClusterStorage.open(config.cluster().get(), config, clock, random)
                    : LocalStorage.open(config, clock, metrics, random);
        } catch (Exception e) {
            scheduler.shutdownNow();
            audit.close();
            throw e;
        }
        SluiceServer server;
        try {
            MasterKey master = storage.masterKey();
            server = new SluiceServer(
                    config,
                    clock,
                    storage,
                    new DataKeys(storage.keyRings(), master, random),
                    new SecretSealer(master),
                    audit,
                    metrics,
                    scheduler,
                    extraTypes);
        } catch (IOException | RuntimeException e) {
            scheduler.shutdownNow();
            storage.close();
            audit.close();
            throw e;
        }
        try {
            server.http.start();
            if (server.management.isPresent()) {
                server.management.get().start();
                LOG.info("Sluice metrics on {}", server.metricsEndpoint());
            }
        } catch (Exception e) {
            server.close();
            throw e;
        }
        server.ready.set(true);
        LOG.info("Sluice ready on {}", server.endpoint());
        return server;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code https://} when TLS is configured, {@code http://} otherwise. */
    public URI endpoint() {
        String host = connector.getHost();
        String literal = host.contains(":") ? "[" + host + "]" : host;
        return URI.create((tls.isPresent() ? "https" : "http") + "://" + literal + ":" + port());
    }

    /** Where {@code GET /metrics} is served: its own address and port if configured, else the API's. */
    public URI metricsEndpoint() {
        return management
                .map(ManagementServer::endpoint)
                .orElseGet(this::endpoint)
                .resolve("/metrics");
    }

    /** Reads the TLS files again and serves the pair they hold, unless it cannot be used (logged); no TLS: nothing. */
    public void reloadTls() {
        tls.ifPresent(ServerTls::reload);
    }

    private void reloadTlsIfChanged() {
        try {
            tls.ifPresent(ServerTls::reloadIfChanged);
        } catch (RuntimeException e) {
            LOG.error("Checking the TLS files for a change failed; checking again later", e);
        }
    }

    @Override
    public void close() {
        ready.set(false);
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the HTTP server failed", e);
        }
        management.ifPresent(ManagementServer::close);
        audit.close();
        scheduler.shutdownNow();
        console.ifPresent(Console::close);
        sources.close();
        delivery.close();
        httpEndpoints.close();
        searchClusters.close();
        splunkCollectors.close();
        functions.close();
        store.close();
        storage.close();
    }

    /** The readers of the sources streams may have besides puts: Kinesis data streams, Kafka topics. */
    private static List<SourceConnector> sourceConnectors(SluiceConfig config) {
        return List.of(
                new KafkaConnector(config.delivery().kafka()),
                new KinesisConnector(config.delivery().kinesis()));
    }

    /** {@code firehose} alone, or behind the test-suite parts the configuration turns on. */
    private Handler withTestSuiteParts(
            Handler firehose,
            SluiceConfig config,
            Clock clock,
            Catalog catalog,
            Optional<LocalObjectStore> localStore) {
        SluiceConfig.TestSuiteSettings testSuite = config.testSuite();
        if (!testSuite.localS3Api() && !testSuite.resetEndpoint()) {
            return firehose;
        }
        Optional<LocalS3Api> s3 = localStore
                .filter(local -> testSuite.localS3Api())
                .map(local -> new LocalS3Api(
                        SigV4Verifier.forService(SignedService.S3, CredentialStore.of(config.credentials()), clock),
                        local));
        Optional<Reset> reset =
                testSuite.resetEndpoint() ? Optional.of(() -> reset(catalog, localStore)) : Optional.empty();
        return new TestSuiteHandler(firehose, s3, reset);
    }

    /**
     * Deletes every stream (its catalog entry, records, data keys, metrics) once delivery has stopped,
     * then every bucket of the local store; a remote S3 store is left alone.
     */
    private int reset(Catalog catalog, Optional<LocalObjectStore> localStore) throws IOException {
        int deleted = catalog.removeAll(delivery::stopAll).size();
        if (localStore.isPresent()) {
            localStore.get().deleteEverything();
        }
        return deleted;
    }

    private static AuditTrail audit(SecuritySettings.Audit settings, Path dataDir, Clock clock) throws IOException {
        return switch (settings.mode()) {
            case FILE -> AuditFile.open(dataDir.resolve("audit"), settings.maxFileSize(), settings.maxFiles(), clock);
            case STDOUT -> new AuditPrinter(System.out, clock);
            case OFF -> AuditTrail.OFF;
        };
    }

    /** The destination types Sluice delivers to: the one list naming them. */
    private static List<DestinationType<?>> destinationTypes(
            ObjectStore store,
            HttpEndpointTransport httpEndpoints,
            SearchClusters searchClusters,
            SplunkDestinationType splunk,
            ProcessorStages processors,
            int activePartitionsLimit,
            Path staging,
            Clock clock) {
        return List.of(
                new S3DestinationType(store, staging, processors, activePartitionsLimit, clock, UUID::randomUUID),
                new HttpEndpointDestinationType(httpEndpoints, staging, processors, clock, UUID::randomUUID),
                new SearchDestinationType(searchClusters, staging, processors, WeekNumbering.US, UUID::randomUUID),
                splunk);
    }

    /**
     * {@code DataFreshness}: the age in seconds of the oldest record not yet delivered (the first one
     * after the committed offset), 0 when everything is delivered.
     */
    private static double dataFreshnessSeconds(RecordLog log, StreamKey key, Clock clock) {
        try (StreamReader reader = log.openReader(key)) {
            OptionalLong oldest = reader.firstUnreadArrivalMillis();
            return oldest.isEmpty() ? 0 : Math.max(0, clock.millis() - oldest.getAsLong()) / 1000.0;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * Record payloads for the delivery engine, decrypted when stored encrypted. A decryptor serves one
     * thread; each stream's pipeline reads on one long-lived thread, so one decryptor per thread.
     */
    private static RecordPayloads decryptingPayloads(DataKeys keys) {
        ThreadLocal<RecordDecryptor> decryptors = ThreadLocal.withInitial(() -> new RecordDecryptor(keys));
        return (stream, record) -> decryptors.get().plaintext(new StreamKey(stream.uid()), record);
    }

    /** Makes a newly enabled stream's data key now; if that fails, its first encrypted put tries again. */
    private static void makeDataKey(DataKeys keys, DeliveryStream stream, Enablement enablement) {
        try {
            keys.keyFor(enablement);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not make the data key of delivery stream {} yet",
                    stream.ref().arn(),
                    e);
        }
    }

    private static void deleteDataKeys(DataKeys keys, DeliveryStream stream) {
        try {
            keys.delete(stream.uid());
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Could not delete the data keys of deleted delivery stream {}",
                    stream.ref().arn(),
                    e);
        }
    }
}
