package io.sluice.durability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.HandlerJar;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.SluiceProcess;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationConfiguration;

/**
 * Sluice killed with SIGKILL while its Lambda processor's invocations are in flight, with the function
 * run locally by AWS's Java runtime interface client: after a last restart, every acknowledged record is
 * delivered transformed or written as a {@code processing-failed} document, at least once.
 */
class LambdaKillIT {
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:upper";
    private static final String BUCKET = "lambda-kill";
    private static final String STREAM = "transformed";
    private static final long SEED = 1_357L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Upper-cases each record and returns its number's last digit as partition key {@code d} (used only
     * by a partitioned stream); fails those whose number ends in 0.
     */
    private static final String UPPER = """
            package example;

            import com.amazonaws.services.lambda.runtime.Context;
            import com.amazonaws.services.lambda.runtime.RequestHandler;
            import java.nio.charset.StandardCharsets;
            import java.util.ArrayList;
            import java.util.Base64;
            import java.util.List;
            import java.util.Map;

            public class Upper implements RequestHandler<Map<String, Object>, Map<String, Object>> {
                @Override
                @SuppressWarnings("unchecked")
                public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
                    List<Map<String, Object>> records = new ArrayList<>();
                    for (Map<String, Object> record : (List<Map<String, Object>>) event.get("records")) {
                        String data = new String(
                                Base64.getDecoder().decode((String) record.get("data")), StandardCharsets.UTF_8);
                        if (data.endsWith("0")) {
                            records.add(Map.of("recordId", record.get("recordId"), "result", "ProcessingFailed"));
                        } else {
                            records.add(Map.of(
                                    "recordId", record.get("recordId"),
                                    "result", "Ok",
                                    "data", Base64.getEncoder().encodeToString(
                                            data.toUpperCase().getBytes(StandardCharsets.UTF_8)),
                                    "metadata", Map.of("partitionKeys",
                                            Map.of("d", data.substring(data.length() - 1)))));
                        }
                    }
                    return Map.of("records", records);
                }
            }
            """;

    private Path dataDir;
    private Path jarDir;

    @BeforeEach
    void createDirectories() throws IOException {
        dataDir = Files.createTempDirectory("sluice-lambda-kill-");
        jarDir = Files.createTempDirectory("sluice-lambda-kill-handler-");
    }

    @AfterEach
    void deleteDirectories() {
        RunningSluice.deleteRecursively(dataDir);
        RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        RunningSluice.deleteRecursively(jarDir);
    }

    /** The settings that run {@link #UPPER} locally, two runtime processes. */
    private String[] functionSettings() throws IOException {
        Path jar = HandlerJar.build(jarDir, Map.of("example.Upper", UPPER));
        String command = HandlerJar.ricCommand(jar, "example.Upper::handleRequest").stream()
                .map(word -> "\"" + word + "\"")
                .collect(Collectors.joining(" "));
        return new String[] {
            "--set",
            "lambda-function.upper.arn=" + ARN,
            "--set",
            "lambda-function.upper.command=" + command,
            "--set",
            "lambda-function.upper.processes=2",
            "--set",
            "lambda-function.upper.timeout=30s"
        };
    }

    @Test
    void everyAcknowledgedRecordIsTransformedOrFailedAtLeastOnceAcrossSigkills() throws Exception {
        killWhileTransforming(
                s -> s.prefix("data/").bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
    }

    /** The same with dynamic partitioning by the function's keys: nine partitions filled at once. */
    @Test
    void partitionedDeliveryLosesNoAcknowledgedRecordAcrossSigkills() throws Exception {
        killWhileTransforming(s -> s.prefix("d=!{partitionKeyFromLambda:d}/")
                .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(1))
                .dynamicPartitioningConfiguration(d -> d.enabled(true)));
        for (Path object : Streams.localObjects(dataDir, BUCKET)) {
            String key = Streams.key(dataDir, BUCKET, object);
            if (!key.startsWith("errors/")) {
                assertThat(key).matches("d=[1-9]/" + STREAM + "-1-.*");
                assertThat(Files.readString(object, UTF_8).lines())
                        .allMatch(line -> line.endsWith(key.substring(2, 3)));
            }
        }
    }

    private void killWhileTransforming(Consumer<ExtendedS3DestinationConfiguration.Builder> layout) throws Exception {
        String[] settings = functionSettings();
        new KillRounds(
                        STREAM,
                        () -> SluiceProcess.start(dataDir, Map.of(), settings),
                        LambdaKillIT::killWithItsFunctions,
                        firehose -> Streams.createS3(
                                firehose,
                                STREAM,
                                BUCKET,
                                s -> layout.accept(s.errorOutputPrefix("errors/!{firehose:error-output-type}/")
                                        .processingConfiguration(p -> p.enabled(true)
                                                .processors(
                                                        pr -> pr.type("Lambda")
                                                                .parameters(pa -> pa.parameterName("LambdaArn")
                                                                        .parameterValue(ARN)),
                                                        pr -> pr.type("AppendDelimiterToRecord"))))),
                        n -> "rec-" + n,
                        this::outcomes)
                .run(SEED, KillRounds.Progress.ANY_RECORDS, Duration.ofMillis(500));
        Set<String> transformed = transformed();
        assertThat(transformed).allMatch(text -> text.equals(text.toUpperCase()) && !text.endsWith("0"));
        assertThat(failed()).allMatch(text -> text.endsWith("0"));
    }

    /** SIGKILL to Sluice; its runtime processes, orphaned, are stopped by their own process handles. */
    private static void killWithItsFunctions(SluiceProcess sluice) {
        List<ProcessHandle> functions = ProcessHandle.of(sluice.pid())
                .map(p -> p.descendants().toList())
                .orElse(List.of());
        sluice.kill();
        functions.forEach(ProcessHandle::destroyForcibly);
    }

    /** What became of the records so far, as the source texts: transformed ones lower-cased again, failed ones as put. */
    private Set<String> outcomes() throws IOException {
        Set<String> outcomes = new HashSet<>(failed());
        transformed().forEach(text -> outcomes.add(text.toLowerCase()));
        return outcomes;
    }

    private Set<String> transformed() throws IOException {
        Set<String> lines = new HashSet<>();
        for (Path object : Streams.localObjects(dataDir, BUCKET)) {
            if (!Streams.key(dataDir, BUCKET, object).startsWith("errors/")) {
                lines.addAll(Files.readString(object, UTF_8).lines().toList());
            }
        }
        return lines;
    }

    private Set<String> failed() throws IOException {
        Set<String> raw = new HashSet<>();
        for (Path object : Streams.localObjects(dataDir, BUCKET)) {
            if (Streams.key(dataDir, BUCKET, object).startsWith("errors/processing-failed/")) {
                for (String line : Files.readString(object, UTF_8).lines().toList()) {
                    JsonNode document = JSON.readTree(line);
                    assertThat(document.get("errorCode").asText()).isEqualTo("Lambda.ProcessingFailedStatus");
                    raw.add(new String(
                            Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8));
                }
            }
        }
        return raw;
    }
}
