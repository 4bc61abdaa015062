package io.sluice.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** The {@code sluice} command line. */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Amazon Data Firehose, self-hosted.",
        subcommands = {Main.Serve.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = "Starts the Firehose-compatible server. Settings come from options, SLUICE_* environment"
                    + " variables and the config file, in that order of precedence.")
    static final class Serve implements Callable<Integer> {
        private static final Logger LOG = LoggerFactory.getLogger(Serve.class);

        @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
        String host;

        @Option(names = "--port", description = "Port to listen on (default 4573; 0 picks a free one).")
        Integer port;

        @Option(names = "--data-dir", description = "Where streams and records are kept (default ./data).")
        Path dataDir;

        @Option(names = "--config", description = "A settings file in Java properties format.")
        Path config;

        @Option(
                names = "--set",
                paramLabel = "NAME=VALUE",
                description = "Any setting, such as --set s3-bucket.logs.endpoint=https://s3.example.net;"
                        + " repeatable. The options above win over it.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            Map<String, String> options = new LinkedHashMap<>(settings);
            if (host != null) {
                options.put("host", host);
            }
            if (port != null) {
                options.put("port", port.toString());
            }
            if (dataDir != null) {
                options.put("data-dir", dataDir.toString());
            }
            Path configFile = config != null ? config : envPath("SLUICE_CONFIG");
            Map<String, String> environment = new LinkedHashMap<>(System.getenv());
            environment.remove("SLUICE_CONFIG");
            SluiceConfig sluiceConfig;
            try {
                Settings loaded = SluiceConfig.settings(configFile, environment, options);
                loaded.warnings().forEach(LOG::warn);
                sluiceConfig = SluiceConfig.from(loaded);
            } catch (IllegalArgumentException | IOException e) {
                System.err.println("sluice: " + e.getMessage());
                return 2;
            }
            SluiceServer server = SluiceServer.start(sluiceConfig, Clock.systemUTC());
            if (sluiceConfig.tls().isPresent()) {
                reloadOnHangUp(server);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            System.out.println("Sluice ready on " + server.endpoint());
            System.out.flush();
            stopped.await();
            return 0;
        }

        /**
         * SIGHUP reloads the TLS files instead of stopping the JVM. {@code sun.misc.Signal} (module
         * jdk.unsupported) is the JDK's only way to handle a signal; where it is refused (a JVM run with
         * {@code -Xrs}) or SIGHUP was ignored when the JVM started (under {@code nohup}: the JVM then leaves
         * it ignored and answers with the ignoring handler), the files are still reloaded when they change.
         */
        private static void reloadOnHangUp(SluiceServer server) {
            try {
                if (Signal.handle(new Signal("HUP"), signal -> server.reloadTls()) == SignalHandler.SIG_IGN) {
                    LOG.warn("SIGHUP is ignored by this process (started under nohup?); the TLS files are still"
                            + " reloaded when they change");
                }
            } catch (IllegalArgumentException e) {
                LOG.warn(
                        "SIGHUP cannot be handled here ({}); the TLS files are still reloaded when they change",
                        e.getMessage());
            }
        }

        private static Path envPath(String name) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? null : Path.of(value);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"sluice " + properties.getProperty("version", "unknown")};
        }
    }
}
