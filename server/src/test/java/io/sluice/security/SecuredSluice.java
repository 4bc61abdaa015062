package io.sluice.security;

import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * A Sluice process started with a config file (the multi-team example of the README's "Security"
 * section, on loopback), its data directory deleted when closed. Keys: {@code ADMIN} (everything),
 * {@code PRODUCER} (puts and describes {@code orders-*}, lists them, never {@code orders-secret*}),
 * {@code OPEN} (no statements: today's behaviour), all in account 111122223333; {@code LEGACY} in the
 * development account 000000000000.
 */
final class SecuredSluice implements AutoCloseable {
    static final String ACCOUNT = "111122223333";
    private static final Pattern METRICS = Pattern.compile("Sluice metrics on (http://\\S+)");

    private final Path dataDir;
    private SluiceProcess process;

    private SecuredSluice(Path dataDir) {
        this.dataDir = dataDir;
    }

    static SecuredSluice start(String... extraSettings) {
        try {
            Path dataDir = Files.createTempDirectory("sluice-security-");
            SecuredSluice sluice = new SecuredSluice(dataDir);
            Files.write(sluice.configFile(), config(extraSettings));
            sluice.restart();
            return sluice;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> config(String... extraSettings) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "credentials = ADMIN:admin-secret:" + ACCOUNT + ",PRODUCER:producer-secret:" + ACCOUNT
                        + ",OPEN:open-secret:" + ACCOUNT + ",LEGACY:legacy-secret:000000000000",
                "access-key.ADMIN.user = platform-admin",
                "access-key.ADMIN.allow = firehose:*",
                "access-key.PRODUCER.user = orders-producer",
                "access-key.PRODUCER.allow = firehose:PutRecord,firehose:PutRecordBatch,firehose:Describe*"
                        + " on arn:aws:firehose:*:" + ACCOUNT + ":deliverystream/orders-*;"
                        + " firehose:ListDeliveryStreams on arn:aws:firehose:us-east-1:" + ACCOUNT
                        + ":deliverystream/orders-*",
                "access-key.PRODUCER.deny = firehose:* on arn:aws:firehose:*:*:deliverystream/orders-secret*",
                "metrics-host = 127.0.0.1",
                "metrics-port = 0",
                "metrics-token = scrape-token-42"));
        lines.addAll(List.of(extraSettings));
        return lines;
    }

    private Path configFile() {
        return dataDir.resolveSibling(dataDir.getFileName() + ".properties");
    }

    /** Stops the process (if running) and starts another on the same data directory and config file. */
    void restart() {
        stop();
        process =
                SluiceProcess.start(dataDir, Map.of(), "--config", configFile().toString());
    }

    void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    Path dataDir() {
        return dataDir;
    }

    URI endpoint() {
        return process.endpoint();
    }

    /** Where the running process serves {@code /metrics}, as it logged it. */
    URI metricsEndpoint() {
        String text = process.logText();
        int at = text.lastIndexOf("Sluice metrics on ");
        if (at < 0) {
            throw new IllegalStateException("the process did not log its metrics endpoint");
        }
        Matcher found = METRICS.matcher(text.substring(at));
        if (!found.lookingAt()) {
            throw new IllegalStateException("unreadable metrics line");
        }
        return URI.create(found.group(1));
    }

    FirehoseClient client(String accessKey, String secret) {
        return client(accessKey, secret, Region.US_EAST_1);
    }

    FirehoseClient client(String accessKey, String secret, Region region) {
        return FirehoseClient.builder()
                .endpointOverride(endpoint())
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** The audit log's current file. */
    List<String> auditLines() {
        try {
            return Files.readAllLines(dataDir.resolve("audit").resolve("audit.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        RunningSluice.deleteRecursively(dataDir);
        try {
            Files.deleteIfExists(configFile());
            Files.deleteIfExists(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
