package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.ExternalCommand;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/** PutRecord and PutRecordBatch from boto3, and the records in the delivered object. */
class Boto3PutsIT {
    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        ExternalCommand.assumeAvailable("python3", "-c", "import boto3");
        sluice = RunningSluice.start();
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            firehose.close();
            sluice.close();
        }
    }

    @Test
    void putsAreAnsweredAsBotocoreExpectsAndDelivered() throws Exception {
        Streams.createS3(
                firehose,
                "boto",
                "boto-bucket",
                s -> s.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
        Path script = Files.createTempFile("boto3_puts", ".py");
        try {
            try (var in = Boto3PutsIT.class.getResourceAsStream("/python/boto3_puts.py")) {
                Files.write(script, in.readAllBytes());
            }
            ExternalCommand.Result result = ExternalCommand.run(
                    Map.of(),
                    null,
                    "python3",
                    script.toString(),
                    sluice.endpoint().toString(),
                    "boto");
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            JsonNode out = new ObjectMapper().readTree(result.stdout());
            assertThat(out.path("single").path("RecordId").asText()).isNotBlank();
            assertThat(out.path("single").path("Encrypted").asBoolean(true)).isFalse();
            assertThat(out.path("batch").path("FailedPutCount").asInt(-1)).isZero();
            assertThat(out.path("batch").path("RecordIds")).hasSize(3);
            assertThat(out.path("batch").path("ErrorCodes").findValuesAsText("x"))
                    .isEmpty();
            out.path("batch")
                    .path("ErrorCodes")
                    .forEach(code -> assertThat(code.isNull()).isTrue());
            assertThat(out.path("tooMany").path("code").asText()).isEqualTo("ValidationException");
            assertThat(out.path("tooMany").path("message").asText())
                    .contains("Member must have length less than or equal to 500");
            assertThat(out.path("missing").path("code").asText()).isEqualTo("ResourceNotFoundException");
        } finally {
            Files.deleteIfExists(script);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered().contains("boto3 2\n"));
        assertThat(delivered()).contains("boto3 single\n", "boto3 0\n", "boto3 1\n");
    }

    private static String delivered() throws Exception {
        StringBuilder all = new StringBuilder();
        for (Path object : Streams.localObjects(sluice.dataDir(), "boto-bucket")) {
            all.append(Files.readString(object, StandardCharsets.UTF_8));
        }
        return all.toString();
    }
}
