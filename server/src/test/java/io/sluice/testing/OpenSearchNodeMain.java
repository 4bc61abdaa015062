package io.sluice.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opensearch.Version;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * The main class of the child JVM that {@link OpenSearchNode} starts: one single-node OpenSearch
 * cluster, HTTP and transport on loopback only, every file under the directory given as the only
 * argument (and its HTTP port the optional second, else any free one). OpenSearch logs to standard output (which the parent sends to a file) and writes the
 * bound HTTP address to {@code logs/http.ports} once it listens. The node is closed, and the JVM
 * exits, when standard input reaches its end: the parent closes it, or dies.
 */
public final class OpenSearchNodeMain {
    /** Everything at INFO and above to standard output, one line each. */
    private static final String LOG_CONFIG = """
            status = error
            appender.console.type = Console
            appender.console.name = console
            appender.console.target = SYSTEM_OUT
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %m%n
            rootLogger.level = info
            rootLogger.appenderRef.console.ref = console
            """;

    private OpenSearchNodeMain() {}

    /** A {@link Node} with plugins from the classpath, as OpenSearch's own test framework makes one. */
    private static final class ClasspathPluginsNode extends Node {
        ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins.stream().map(OpenSearchNodeMain::info).toList(), true);
        }
    }

    private static PluginInfo info(Class<? extends Plugin> plugin) {
        return new PluginInfo(
                plugin.getName(),
                "classpath plugin",
                "NA",
                Version.CURRENT,
                "21",
                plugin.getName(),
                null,
                List.of(),
                false);
    }

    /**
     * Runs the node until standard input ends. Any failure exits the JVM with status 1 after printing it:
     * OpenSearch's non-daemon threads would otherwise keep a half-started node alive.
     */
    public static void main(String[] args) {
        try {
            run(Path.of(args[0]).toAbsolutePath(), args.length > 1 ? args[1] : "0");
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Path home, String httpPort) throws Exception {
        Settings settings = Settings.builder()
                .put("cluster.name", "sluice-test")
                .put("node.name", "sluice-test-node")
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", "0")
                .put("node.portsfile", true)
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("http.type", Netty4ModulePlugin.NETTY_HTTP_TRANSPORT_NAME)
                .put("transport.type", Netty4ModulePlugin.NETTY_TRANSPORT_NAME)
                .build();
        Path config = Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("logs"));
        Files.writeString(config.resolve("log4j2.properties"), LOG_CONFIG);
        Environment environment =
                InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> "sluice-test-node");
        LogConfigurator.registerErrorListener();
        LogConfigurator.configure(environment);
        Node node = new ClasspathPluginsNode(environment, List.of(Netty4ModulePlugin.class));
        node.start();
        ChildJvm.awaitEndOfInput(System.in);
        node.close();
        if (!node.awaitClose(10, TimeUnit.SECONDS)) {
            System.out.println("the OpenSearch node did not close within 10 s");
        }
    }
}
