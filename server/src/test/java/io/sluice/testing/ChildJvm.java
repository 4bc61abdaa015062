package io.sluice.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server for tests (an OpenSearch node, a Kafka broker) in a child JVM on the test JVM's own {@code java}
 * and classpath, its standard output and error appended to a log file. Should the test JVM exit without
 * {@link #stop()}, a shutdown hook kills the child; should the test JVM be killed, the child's main sees
 * its standard input end ({@link #exitWhenInputEnds}) and exits by itself.
 */
final class ChildJvm {
    private final Process process;
    private final Path log;
    private final Thread killOnExit;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly, "kill-child-" + process.pid());
    }

    /**
     * {@code java <jvmOptions> -cp <the test classpath> <main> <args>}, output appended to {@code log}
     * (its directory created if missing).
     */
    static ChildJvm start(List<String> jvmOptions, Class<?> main, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ChildJvm child = new ChildJvm(process, log);
            Runtime.getRuntime().addShutdownHook(child.killOnExit);
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM for " + main.getSimpleName(), e);
        }
    }

    /**
     * For the child's main: blocks until standard input ends (the parent closed it, or died). The parent
     * writes nothing; it only closes.
     */
    static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // nothing is written, only closed
            }
        } catch (IOException e) {
            // the pipe is gone: the parent is
        }
    }

    /** For the child's main: exits the JVM (running its shutdown hooks) once standard input ends. */
    static void exitWhenInputEnds() {
        Thread.ofPlatform().daemon().name("exit-when-input-ends").start(() -> {
            awaitEndOfInput(System.in);
            System.exit(0);
        });
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** What the child has logged so far. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The last 8000 characters of {@link #logText()}. */
    String logTail() {
        String text = logText();
        return text.substring(Math.max(0, text.length() - 8000));
    }

    /**
     * Ends the child's standard input (its main exits), then SIGTERM after 5 s, then SIGKILL after 5 more,
     * and waits until it is gone.
     */
    void stop() {
        try {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** Deletes {@code dir} and everything under it, best effort (a file vanishing meanwhile is fine). */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
