package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * moto's server ({@code moto_server}, STS and S3 among others on one port) as a child process on a
 * free loopback port. {@link #close()} stops it by its own process, and deletes its log.
 *
 * <p>moto maps access key {@code test} to its default account 123456789012, and the temporary key of
 * a session from {@code AssumeRole} to the account of the assumed role. S3 is started with
 * cross-account access off ({@code MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS=false}), so a bucket created in
 * one account answers {@code AccessDenied} to the others, as on AWS without a bucket policy.
 */
public final class MotoServer implements AutoCloseable {
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";
    public static final String DEFAULT_ACCOUNT = "123456789012";

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** Skips the calling test when moto is not installed here. */
    public static void assumeAvailable() {
        ExternalCommand.assumeAvailable("moto_server", "-h");
    }

    /** Starts moto and waits (at most 30 s) until it answers. */
    public static MotoServer start() {
        Path log;
        int port;
        try {
            log = Files.createTempFile("moto-", ".log");
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(Map.of("MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS", "false"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server", e);
        }
        MotoServer moto = new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            moto.awaitReady();
            return moto;
        } catch (RuntimeException e) {
            moto.close();
            throw e;
        }
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(30);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest ping = HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("moto_server exited: " + Files.readString(log));
                }
                try {
                    if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        throw new IllegalStateException("moto_server did not answer within 30 s");
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            log.toFile().delete();
        }
    }
}
