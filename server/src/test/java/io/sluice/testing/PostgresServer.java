package io.sluice.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for tests: the machine's own binaries (Debian's {@code postgresql} package,
 * the newest {@code /usr/lib/postgresql/<version>/bin}), a cluster made by {@code initdb} in a temporary
 * folder (trust authentication, superuser {@value #USER}, fsync off), and {@code postgres} as a child
 * process on a free loopback port with its socket in that folder. PostgreSQL refuses to run as root:
 * then both run as the {@code postgres} user through {@code setpriv}, which execs, so the process held
 * is the server's own. {@link #stop()} shuts it down (SIGINT: fast shutdown, ending open sessions; SIGKILL
 * if that takes too long) and {@link #start()} brings it back on the same port with the same data;
 * {@link #close()} stops it and deletes the folder.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String USER = "sluice";
    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);

    /**
     * One server for a test class: {@code @RegisterExtension static final PostgresServer.PerClass POSTGRES =
     * new PostgresServer.PerClass();} starts it before the class's tests (or skips them) and closes it after.
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private PostgresServer server;

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            server = PostgresServer.create();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (server != null) {
                server.close();
            }
        }

        public PostgresServer server() {
            return server;
        }
    }

    private final Path bin;
    private final Path home;
    private final int port;
    private final boolean asPostgresUser;
    private final AtomicInteger databases = new AtomicInteger();
    private Process process;

    private PostgresServer(Path bin, Path home, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.home = home;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Makes a cluster and starts it; skips the calling test when PostgreSQL is not installed here. */
    public static PostgresServer create() throws IOException {
        Optional<Path> bin = binaries();
        assumeTrue(bin.isPresent(), "PostgreSQL is not installed here (Debian package postgresql)");
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        Path home = Files.createTempDirectory("postgres-");
        PostgresServer server = new PostgresServer(bin.get(), home, freePort(), root);
        try {
            if (root) {
                ownedByPostgres(home);
            }
            server.run(
                    Duration.ofSeconds(60),
                    "initdb",
                    "-D",
                    server.data().toString(),
                    "-A",
                    "trust",
                    "-U",
                    USER,
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync",
                    "--no-instructions");
            server.start();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The newest installed version's binaries. */
    private static Optional<Path> binaries() throws IOException {
        if (!Files.isDirectory(INSTALLATIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/initdb"))
                            && Files.isExecutable(v.resolve("bin/postgres")))
                    .max(Comparator.comparingInt(
                            v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"));
        }
    }

    /** Starts (again) the server of this cluster on its port, waiting until it accepts connections. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("PostgreSQL is running");
        }
        ProcessBuilder builder = new ProcessBuilder(command(
                        "postgres",
                        "-D",
                        data().toString(),
                        "-p",
                        Integer.toString(port),
                        "-h",
                        "127.0.0.1",
                        "-k",
                        home.toString(),
                        "-F",
                        "-c",
                        "max_connections=60"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        process = builder.start();
        Instant deadline = Instant.now().plus(START_WAIT);
        while (true) {
            try {
                connect("postgres").close();
                return;
            } catch (SQLException e) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    stop();
                    throw new IOException("PostgreSQL did not start:\n" + Files.readString(log()), e);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting PostgreSQL", e);
            }
        }
    }

    /** Shuts the server down (its sessions end); {@link #start()} brings it back. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            if (process.isAlive()) {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor(5, TimeUnit.SECONDS);
            }
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** A new, empty database; its JDBC URL. */
    public String createDatabase() {
        String name = "test_" + databases.incrementAndGet();
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database) + "?connectTimeout=5&socketTimeout=30", USER, "");
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + home, e);
        }
    }

    private Path data() {
        return home.resolve("data");
    }

    private Path log() {
        return home.resolve("postgres.log");
    }

    private List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgresUser) {
            command.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    private void run(Duration deadline, String program, String... args) throws IOException {
        Process child = new ProcessBuilder(command(program, args))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        try {
            if (!child.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
                throw new IOException(program + " timed out:\n" + Files.readString(log()));
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + program, e);
        }
        if (child.exitValue() != 0) {
            throw new IOException(program + " failed:\n" + Files.readString(log()));
        }
    }

    private static void ownedByPostgres(Path home) throws IOException {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal user = users.lookupPrincipalByName("postgres");
        GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
        PosixFileAttributeView view = Files.getFileAttributeView(home, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
