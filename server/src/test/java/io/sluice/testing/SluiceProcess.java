package io.sluice.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * Sluice in a child process ({@code sluice serve} on a free loopback port), for tests that kill it
 * with SIGKILL or start it as users do. The child is always destroyed by {@link #close()}.
 */
public final class SluiceProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Sluice ready on (https?://\\S+)");

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private SluiceProcess(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    public static SluiceProcess start(Path dataDir, String... extraArgs) {
        return start(dataDir, Map.of(), extraArgs);
    }

    /**
     * Starts {@code sluice serve} on {@code dataDir} with extra settings as environment variables
     * ({@code SLUICE_S3_ENDPOINT} ...) and extra command-line arguments. Its standard error is appended
     * to {@link #log()}, shared by every process started on the same data directory.
     */
    public static SluiceProcess start(Path dataDir, Map<String, String> environment, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                runtimeClasspath(),
                "io.sluice.server.Main",
                "serve",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString()));
        command.addAll(List.of(extraArgs));
        Map<String, String> childEnvironment = new HashMap<>(System.getenv());
        childEnvironment.put("SLUICE_STREAM_TRANSITION_DELAY", "100ms");
        childEnvironment.putAll(environment);
        return start(
                command,
                childEnvironment,
                Path.of("").toAbsolutePath(),
                dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    /**
     * Runs {@code command}, which must start {@code sluice serve} (a start script that execs the JVM,
     * for instance), with exactly {@code environment} in {@code directory}, and waits until it is ready.
     * Its standard error is appended to {@code log}.
     */
    public static SluiceProcess start(List<String> command, Map<String, String> environment, Path directory, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a Sluice child process", e);
        }
        try {
            URI endpoint = awaitReady(process);
            return new SluiceProcess(process, endpoint, log);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException(e.getMessage() + "; its log:\n" + tail(log), e);
        }
    }

    /**
     * The server's classes and its runtime dependencies only (not the tests'), as Maven resolved them
     * into {@code target/runtime-classpath.txt}: what the packaged server has.
     */
    private static String runtimeClasspath() {
        Path target = Path.of("target");
        try {
            String dependencies = Files.readString(target.resolve("runtime-classpath.txt"), StandardCharsets.UTF_8)
                    .trim();
            return target.resolve("classes").toAbsolutePath() + java.io.File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "run the tests through Maven, which writes target/runtime-classpath.txt", e);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static URI awaitReady(Process process) {
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find() && !ready.isDone()) {
                        ready.complete(URI.create(m.group(1)));
                    }
                }
                ready.completeExceptionally(new IllegalStateException("Sluice exited before it was ready"));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            return ready.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Sluice did not become ready", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The file the process's standard error (its log) is appended to. */
    public Path log() {
        return log;
    }

    /** What the process has logged so far. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client of this process's API, with the development credentials. */
    public FirehoseClient client() {
        return FirehoseClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .build();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, then wait for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then wait for a clean exit; returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Sluice did not stop on SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        kill();
    }
}
