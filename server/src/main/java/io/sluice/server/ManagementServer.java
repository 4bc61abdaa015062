package io.sluice.server;

import static java.util.Objects.requireNonNull;

import io.sluice.api.ManagementHandler;
import java.net.URI;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management endpoints ({@code /health}, {@code /metrics}) on their own address and port, plain HTTP,
 * apart from the API: a private network or loopback can have them while the API faces producers.
 */
final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final Server server;
    private final ServerConnector connector;

    ManagementServer(SecuritySettings.MetricsAddress address, ManagementHandler handler) {
        requireNonNull(address, "address is null");
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("sluice-management");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        connector.setHost(address.host());
        connector.setPort(address.port());
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(2_000);
    }

    void start() throws Exception {
        server.start();
    }

    URI endpoint() {
        String host = connector.getHost();
        String literal = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + literal + ":" + connector.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the management server failed", e);
        }
    }
}
