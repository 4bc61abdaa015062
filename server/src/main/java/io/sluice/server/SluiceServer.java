package io.sluice.server;

import static java.util.Objects.requireNonNull;

import io.sluice.api.ControlPlane;
import io.sluice.api.DataPlane;
import io.sluice.api.FirehoseHandler;
import io.sluice.api.Operations;
import io.sluice.api.auth.CredentialStore;
import io.sluice.api.auth.SigV4Verifier;
import io.sluice.api.model.ServiceModel;
import io.sluice.catalog.Catalog;
import io.sluice.catalog.FileCatalogStore;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: builds every part from a {@link SluiceConfig}, starts them, and stops them. */
public final class SluiceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);

    private final Server http;
    private final ServerConnector connector;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean ready = new AtomicBoolean();

    private SluiceServer(SluiceConfig config, Clock clock) throws Exception {
        Files.createDirectories(config.dataDir());
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-scheduler").daemon(true).factory());
        Catalog catalog = new Catalog(
                new FileCatalogStore(config.dataDir().resolve("catalog")), clock, config.catalogLimits(), scheduler);
        FirehoseHandler handler = new FirehoseHandler(
                new SigV4Verifier(CredentialStore.of(config.credentials()), clock),
                ServiceModel.firehose(),
                new Operations(new ControlPlane(catalog), new DataPlane(catalog)),
                config.maxRequestBody(),
                ready::get);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("sluice-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendDateHeader(true);
        connector = new ServerConnector(http, new HttpConnectionFactory(httpConfig));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setAcceptedTcpNoDelay(true);
        http.addConnector(connector);
        http.setHandler(handler);
        http.setStopTimeout(5_000);
    }

    /** Builds and starts a server; it answers {@code GET /health} with 200 when this returns. */
    public static SluiceServer start(SluiceConfig config, Clock clock) throws Exception {
        requireNonNull(config, "config is null");
        SluiceServer server = new SluiceServer(config, clock);
        try {
            server.http.start();
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

    public URI endpoint() {
        String host = connector.getHost();
        String literal = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + literal + ":" + port());
    }

    @Override
    public void close() {
        ready.set(false);
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the HTTP server failed", e);
        }
        scheduler.shutdownNow();
    }
}
