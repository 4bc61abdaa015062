package io.sluice.durability;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.processor.jq.MetadataQuery;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sluice killed with SIGKILL again and again while it delivers a stream dynamically partitioned by a
 * {@code MetadataExtraction} jq query, some records failing the query: after a last restart every
 * acknowledged record is delivered at least once under the prefix of its own partition, or written to
 * the error output with the error code it fails with, and no record is ever found anywhere else.
 *
 * <p>Records come in runs of 500 by partition, as they do with keys taken from event times: a pass
 * seals the batches its oldest (due) records began, while the partitions of the later runs it read stay
 * open until their own first records are due. So at most moments some records are read but held in
 * open batches, some in batches and error output being written, and the log must not be committed past
 * any of them.
 */
class QueryPartitioningKillIT {
    private static final String BUCKET = "query-kill";
    private static final String STREAM = "partitioned";
    private static final long SEED = 2_468L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Partitions {@code 0} to {@code 8} by runs of 500 numbers; fails records that are not JSON or lack {@code n}. */
    private static final String QUERY = "{d: ((.n / 500 | floor) % 9 | tostring)}";

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private Path dataDir;

    @BeforeEach
    void createDataDir() throws IOException {
        dataDir = Files.createTempDirectory("sluice-query-kill-");
    }

    @AfterEach
    void deleteDataDir() {
        RunningSluice.deleteRecursively(dataDir);
        RunningSluice.deleteRecursively(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    /** Record {@code n}: JSON with its number, except every 13th, not JSON, and every 17th, without {@code n}. */
    private static String record(int n) {
        if (n % 13 == 0) {
            return "not json " + n;
        }
        return n % 17 == 0 ? "{\"m\":" + n + "}" : "{\"n\":" + n + "}";
    }

    /** Where record {@code n} belongs: the prefix of its partition, or the error output with its error code. */
    private static String place(int n) {
        if (n % 13 == 0) {
            return "errors/" + MetadataQuery.NON_JSON;
        }
        if (n % 17 == 0) {
            return "errors/" + MetadataQuery.EXTRACTION_FAILED;
        }
        return "d=" + n / 500 % 9 + "/";
    }

    @Test
    void partitionedDeliveryLosesNoAcknowledgedRecordAcrossSigkills() throws Exception {
        Set<String> acknowledged = new KillRounds(
                        STREAM,
                        () -> SluiceProcess.start(dataDir),
                        SluiceProcess::kill,
                        firehose -> Streams.createS3(
                                firehose,
                                STREAM,
                                BUCKET,
                                s -> s.prefix("d=!{partitionKeyFromQuery:d}/")
                                        .errorOutputPrefix("errors/")
                                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(1))
                                        .dynamicPartitioningConfiguration(d -> d.enabled(true))
                                        .processingConfiguration(p -> p.enabled(true)
                                                .processors(
                                                        pr -> pr.type("MetadataExtraction")
                                                                .parameters(
                                                                        pa -> pa.parameterName(
                                                                                        "MetadataExtractionQuery")
                                                                                .parameterValue(QUERY),
                                                                        pa -> pa.parameterName("JsonParsingEngine")
                                                                                .parameterValue("JQ-1.6")),
                                                        pr -> pr.type("AppendDelimiterToRecord")))),
                        QueryPartitioningKillIT::record,
                        this::placed)
                .run(SEED, KillRounds.Progress.OWN_RECORDS, Duration.ofSeconds(1));
        placed(); // what was written after the last look is where it belongs too
        assertThat(acknowledged.stream().map(text -> place(number(text))).collect(Collectors.toSet()))
                .as("acknowledged records in every partition and with both error codes")
                .containsExactlyInAnyOrderElementsOf(Stream.concat(
                                IntStream.range(0, 9).mapToObj(d -> "d=" + d + "/"),
                                Stream.of(
                                        "errors/" + MetadataQuery.NON_JSON,
                                        "errors/" + MetadataQuery.EXTRACTION_FAILED))
                        .toList());
    }

    /**
     * The texts of the records delivered so far, each checked to be where it belongs: lines of the
     * objects under {@code d=<partition>/}, and the raw data of the error documents under {@code errors/}.
     */
    private Set<String> placed() throws IOException {
        Set<String> texts = new HashSet<>();
        for (Path object : Streams.localObjects(dataDir, BUCKET)) {
            String key = Streams.key(dataDir, BUCKET, object);
            for (String line : Files.readString(object, UTF_8).lines().toList()) {
                if (key.startsWith("errors/")) {
                    JsonNode document = JSON.readTree(line);
                    String text = new String(
                            Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8);
                    assertPlace(text, "errors/" + document.get("errorCode").asText(), key);
                    texts.add(text);
                } else {
                    String folder = key.substring(0, key.lastIndexOf('/') + 1);
                    assertThat(key.substring(folder.length())).startsWith(STREAM + "-1-");
                    assertPlace(line, folder, key);
                    texts.add(line);
                }
            }
        }
        return texts;
    }

    private static void assertPlace(String text, String place, String key) {
        int n = number(text);
        assertThat(text).as("a record of this test in %s", key).isEqualTo(record(n));
        assertThat(place).as("where %s was found (%s)", text, key).isEqualTo(place(n));
    }

    private static int number(String text) {
        Matcher number = NUMBER.matcher(text);
        if (!number.find()) {
            throw new AssertionError("not a record of this test: " + text);
        }
        return Integer.parseInt(number.group());
    }
}
