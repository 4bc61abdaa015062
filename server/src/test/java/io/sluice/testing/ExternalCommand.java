package io.sluice.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line client (the AWS CLI, python3 with boto3) as a child process, with a deadline. */
public final class ExternalCommand {
    /** What a finished command printed, and how it exited. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private ExternalCommand() {}

    /** Skips the calling test when {@code command} cannot be run here. */
    public static void assumeAvailable(String... command) {
        try {
            Result result = run(Map.of(), null, command);
            assumeTrue(result.exitCode() == 0, () -> String.join(" ", command) + " is not usable here");
        } catch (IllegalStateException e) {
            assumeTrue(false, () -> String.join(" ", command) + " is not installed here");
        }
    }

    /** Runs with the AWS credentials and region of Sluice's development account. */
    public static Result aws(String endpoint, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "aws";
        command[1] = "--endpoint-url";
        command[2] = endpoint;
        System.arraycopy(args, 0, command, 3, args.length);
        return run(awsEnvironment(), null, command);
    }

    public static Map<String, String> awsEnvironment() {
        return Map.of(
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_PAGER", "",
                "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
                "AWS_MAX_ATTEMPTS", "1");
    }

    public static Result run(Map<String, String> environment, String stdin, String... command) {
        return run(null, Duration.ofSeconds(120), environment, stdin, command);
    }

    /**
     * Runs in {@code directory} (null: this process's), stopped with everything it started when it outlives
     * {@code deadline} (then {@link IllegalStateException}) or when this call ends.
     */
    public static Result run(
            Path directory, Duration deadline, Map<String, String> environment, String stdin, String... command) {
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("cmd-out-", ".txt");
            err = Files.createTempFile("cmd-err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(List.of(command))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (process != null) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }
}
