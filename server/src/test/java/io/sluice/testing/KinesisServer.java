package io.sluice.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * kinesis-local (the npm package of kinesis-mock, a Kinesis-compatible server in JavaScript) as a child
 * {@code node} process on free loopback ports, run through {@code src/test/node/kinesis-server.js} from the
 * packages {@code bin/test} installs there. Its streams are kept in a temporary folder
 * ({@code SHOULD_PERSIST_DATA}, written every {@link #PERSIST_INTERVAL}), so {@link #stop()} then {@link
 * #start()} brings it back on the same port with the streams and records it had. {@link #close()} stops its
 * process (by its own pid) and deletes the folder and its log.
 *
 * <p>kinesis-local takes any SigV4 credentials; a 12-digit access key is the account, anything else its
 * default account {@value #ACCOUNT}.
 */
public final class KinesisServer implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    /** How often kinesis-local writes its streams to its folder. */
    public static final Duration PERSIST_INTERVAL = Duration.ofMillis(200);

    private static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();
    private static final Duration START_WAIT = Duration.ofSeconds(60);

    private final Path home;
    private final int port;
    private final int tlsPort;
    private final Map<String, String> extraEnvironment;
    private Process process;

    private KinesisServer(Path home, int port, int tlsPort, Map<String, String> extraEnvironment) {
        this.home = home;
        this.port = port;
        this.tlsPort = tlsPort;
        this.extraEnvironment = Map.copyOf(extraEnvironment);
    }

    /**
     * Skips the calling test when {@code node} is not installed here; fails it when node is, but the
     * packages {@code bin/test} installs are not.
     */
    public static void assumeAvailable() {
        ExternalCommand.assumeAvailable("node", "--version");
        if (!Files.isRegularFile(NODE_DIR.resolve("node_modules/kinesis-local/main.js"))
                || !Files.isRegularFile(NODE_DIR.resolve("node_modules/aws-kinesis-agg/index.js"))) {
            throw new IllegalStateException("kinesis-local and aws-kinesis-agg are not installed in " + NODE_DIR
                    + ": bin/test installs them (npm install there)");
        }
    }

    /** Starts kinesis-local with its defaults and waits (at most a minute) until it answers. */
    public static KinesisServer launch(Map<String, String> environment) {
        assumeAvailable();
        try {
            KinesisServer server =
                    new KinesisServer(Files.createTempDirectory("kinesis-local-"), freePort(), freePort(), environment);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static KinesisServer launch() {
        return launch(Map.of());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the process again (after {@link #stop()}) on the same port, with the data it had persisted. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("kinesis-local is running");
        }
        ProcessBuilder builder = new ProcessBuilder(
                        "node", NODE_DIR.resolve("kinesis-server.js").toString())
                .directory(NODE_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        Map<String, String> environment = builder.environment();
        environment.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
        environment.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
        environment.put("AWS_ACCOUNT_ID", ACCOUNT);
        environment.put("AWS_REGION", REGION);
        environment.put("SHOULD_PERSIST_DATA", "true");
        environment.put("LOAD_DATA_IF_EXISTS", "true");
        environment.put("PERSIST_PATH", home.resolve("data").toString());
        environment.put("PERSIST_INTERVAL", PERSIST_INTERVAL.toMillis() + "ms");
        environment.put("CREATE_STREAM_DURATION", "100ms");
        environment.put("DELETE_STREAM_DURATION", "100ms");
        environment.put("SPLIT_SHARD_DURATION", "100ms");
        environment.put("MERGE_SHARDS_DURATION", "100ms");
        environment.put("UPDATE_SHARD_COUNT_DURATION", "100ms");
        environment.put("LOG_LEVEL", "WARN");
        environment.putAll(extraEnvironment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node", e);
        }
        awaitReady();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_WAIT);
        try (KinesisClient client = client()) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("kinesis-local exited: " + Files.readString(log()));
                }
                try {
                    client.listStreams();
                    return;
                } catch (SdkClientException notYet) {
                    Thread.sleep(100);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        throw new IllegalStateException("kinesis-local did not answer within " + START_WAIT);
    }

    /**
     * Kills the process (SIGKILL to its pid: kinesis-local does not always end on SIGTERM), keeping the data it
     * persisted for {@link #start()}.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return home.resolve("kinesis-local.log");
    }

    /** A client of this server; the caller closes it. */
    public KinesisClient client() {
        return KinesisClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    public static String streamArn(String name) {
        return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + name;
    }

    /** Creates a stream of {@code shards} shards and waits until it is ACTIVE. */
    public void createStream(KinesisClient client, String name, int shards) {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        awaitActive(client, name);
    }

    /** Waits until the stream is ACTIVE (after a create or a reshard). */
    public static void awaitActive(KinesisClient client, String name) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.describeStreamSummary(b -> b.streamName(name))
                                .streamDescriptionSummary()
                                .streamStatus()
                        == StreamStatus.ACTIVE);
    }

    @Override
    public void close() {
        stop();
        RunningSluice.deleteRecursively(home);
    }
}
