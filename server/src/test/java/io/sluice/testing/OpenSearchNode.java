package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real OpenSearch node (the {@code org.opensearch:opensearch} server and its Netty HTTP transport,
 * from the test classpath) in a child JVM, for tests of delivery to OpenSearch: one node of its own
 * cluster, HTTP and transport bound to 127.0.0.1 only, no security plugin, every file under the
 * directory given to {@link #start(Path)}. Its REST API ({@code _bulk}, {@code _search},
 * {@code _mapping}, index creation, {@code _cluster/health}) is at {@link #endpoint()}.
 *
 * <p>{@link #close()} stops the child by its own process and deletes the directory. Should the test JVM
 * exit without it, a shutdown hook kills the child; should the test JVM be killed, the child sees its
 * standard input end and stops by itself ({@link OpenSearchNodeMain}).
 */
public final class OpenSearchNode implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final ChildJvm child;
    private final Path dir;
    private URI endpoint;
    private Duration startTime;

    private OpenSearchNode(ChildJvm child, Path dir) {
        this.child = child;
        this.dir = dir;
    }

    /**
     * Starts a node whose files are all under {@code dir} (created if missing, deleted by {@link
     * #close()}) and waits (at most 120 s) until its cluster is at least yellow.
     */
    public static OpenSearchNode start(Path dir) {
        return start(dir, 0);
    }

    /**
     * As {@link #start(Path)}, its HTTP transport on {@code httpPort} (0: any free port): a node started
     * again on the port of one closed before is at the same {@link #endpoint()}.
     */
    public static OpenSearchNode start(Path dir, int httpPort) {
        long started = System.nanoTime();
        Path home = dir.toAbsolutePath();
        OpenSearchNode node = new OpenSearchNode(
                ChildJvm.start(
                        jvmOptions(home),
                        OpenSearchNodeMain.class,
                        List.of(home.toString(), Integer.toString(httpPort)),
                        home.resolve("node.log")),
                home);
        try {
            node.endpoint = node.awaitReady();
            node.startTime = Duration.ofNanos(System.nanoTime() - started);
            return node;
        } catch (RuntimeException e) {
            String tail = node.child.logTail();
            node.close();
            throw new IllegalStateException(e.getMessage() + "; the node's log:\n" + tail, e);
        }
    }

    /**
     * A small heap, the serial collector and C1 only: the node serves a few small requests, and starts about
     * twice as fast without C2 compiling its start-up.
     */
    private static List<String> jvmOptions(Path home) {
        return List.of(
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + home,
                "-Djava.awt.headless=true",
                "-Dfile.encoding=UTF-8");
    }

    private URI awaitReady() {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        Path portsFile = dir.resolve("logs").resolve("http.ports");
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (System.nanoTime() < deadline) {
                if (!child.isAlive()) {
                    throw new IllegalStateException("the OpenSearch node exited with code " + child.exitValue());
                }
                String address = readPorts(portsFile);
                if (address != null) {
                    URI endpoint = URI.create("http://" + address);
                    HttpRequest health = HttpRequest.newBuilder(
                                    endpoint.resolve("/_cluster/health?wait_for_status=yellow&timeout=5s"))
                            .timeout(Duration.ofSeconds(10))
                            .build();
                    try {
                        if (http.send(health, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200) {
                            return endpoint;
                        }
                    } catch (IOException notYet) {
                        // listening, not answering yet
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the OpenSearch node started", e);
        }
        throw new IllegalStateException("the OpenSearch node was not yellow within " + READY_WITHIN.toSeconds() + " s");
    }

    /**
     * The first bound HTTP address, {@code 127.0.0.1:port}, from the ports file OpenSearch writes (atomically)
     * once its HTTP transport listens; null until then.
     */
    private static String readPorts(Path portsFile) {
        try {
            List<String> lines = Files.readAllLines(portsFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? null : lines.get(0).trim();
        } catch (IOException notYet) {
            return null;
        }
    }

    /** The node's HTTP endpoint, {@code http://127.0.0.1:port}. */
    public URI endpoint() {
        return endpoint;
    }

    /** From spawning the child JVM to a yellow cluster. */
    public Duration startTime() {
        return startTime;
    }

    public long pid() {
        return child.pid();
    }

    /** The child's resident set size, from {@code /proc/<pid>/status}; -1 where there is no /proc. */
    public long residentBytes() {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(child.pid()), "status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .findFirst()
                    .orElse(-1L);
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** What the node has logged so far (its standard output and error). */
    public String logText() {
        return child.logText();
    }

    /** Stops the child ({@link ChildJvm#stop()}: the node closes and exits), then deletes the directory. */
    @Override
    public void close() {
        try {
            child.stop();
        } finally {
            ChildJvm.deleteRecursively(dir);
        }
    }
}
