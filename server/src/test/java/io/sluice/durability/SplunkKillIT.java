package io.sluice.durability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.HecReceiver;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * Sluice killed with SIGKILL again and again while it delivers a stream to Splunk, whose collector
 * acknowledges each request only on the third query (so that kills come between a request and its
 * acknowledgement too): after a last restart every acknowledged record is acknowledged by HEC (delivered) at least once, or in the
 * {@code splunk-failed} error output, and nothing else is found in either.
 */
class SplunkKillIT {
    private static final String BUCKET = "splunk-kill";
    private static final String STREAM = "to-splunk";
    private static final String TOKEN = "5d2f0e6a-1b3c-4d5e-8f70-9a1b2c3d4e5f";
    private static final long SEED = 7_531L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dataDir;
    private HecReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        dataDir = Files.createTempDirectory("sluice-splunk-kill-");
        receiver = HecReceiver.start();
        receiver.addToken(TOKEN);
        receiver.acknowledge(HecReceiver.AckPolicy.afterQueries(3));
    }

    @AfterEach
    void stop() {
        receiver.close();
        RunningSluice.deleteRecursively(dataDir);
        RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    private void create(FirehoseClient firehose) {
        firehose.createDeliveryStream(b -> b.deliveryStreamName(STREAM)
                .splunkDestinationConfiguration(
                        s -> s.hecEndpoint(receiver.url().toString())
                                .hecEndpointType("Raw")
                                .hecToken(TOKEN)
                                .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(1))
                                .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::" + BUCKET))));
        Streams.awaitActive(firehose, STREAM);
    }

    private static String record(int n) {
        return "splunk-kill record " + n + "\n";
    }

    @Test
    void splunkDeliveryLosesNoAcknowledgedRecordAcrossSigkills() throws Exception {
        new KillRounds(
                        STREAM,
                        () -> SluiceProcess.start(dataDir, "--set", "splunk-ack-timeout-limit=2s"),
                        SluiceProcess::kill,
                        this::create,
                        SplunkKillIT::record,
                        this::outcomes)
                .run(SEED, KillRounds.Progress.OWN_RECORDS, Duration.ofSeconds(1));
        outcomes(); // what was acknowledged by HEC or written after the rounds' last look is this test's too
        assertThat(receiver.violations()).isEmpty();
    }

    /** The records HEC acknowledged, and those in the error output; each must be one of this test's. */
    private Set<String> outcomes() throws IOException {
        Set<String> texts = new HashSet<>();
        for (String line : receiver.acknowledgedEvents()) {
            texts.add(checked(line + "\n"));
        }
        for (Path object : Streams.localObjects(dataDir, BUCKET)) {
            assertThat(Streams.key(dataDir, BUCKET, object)).startsWith("splunk-failed/");
            for (String line : Files.readString(object, UTF_8).lines().toList()) {
                JsonNode document = JSON.readTree(line);
                texts.add(checked(new String(
                        Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8)));
            }
        }
        return texts;
    }

    private static String checked(String text) {
        assertThat(text).matches("splunk-kill record \\d+\n");
        return text;
    }
}
