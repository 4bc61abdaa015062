package io.sluice.processor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.common.FirehoseException;
import io.sluice.testing.RecordingSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeAggregationTest {
    private static final String HASHES = Base64.getEncoder().encodeToString("####".getBytes(UTF_8));

    private static ProcessorSpec spec(String... nameValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.put(nameValues[i], nameValues[i + 1]);
        }
        return new ProcessorSpec(DeAggregationParameters.TYPE, parameters);
    }

    private static RecordingSink run(DeAggregation processor, ByteBuffer... records) throws Exception {
        RecordingSink sink = new RecordingSink();
        ProcessorChain chain = ProcessorChain.of(List.of(processor));
        for (int i = 0; i < records.length; i++) {
            chain.accept(ProcessorRecord.source(i, 0, records[i]), sink);
        }
        chain.flush(sink);
        return sink;
    }

    private static RecordingSink json(String... records) throws Exception {
        return run(new DeAggregation(DeAggregationParameters.of(spec("SubRecordType", "JSON"))), texts(records));
    }

    private static RecordingSink delimited(String... records) throws Exception {
        return run(
                new DeAggregation(DeAggregationParameters.of(spec("SubRecordType", "DELIMITED", "Delimiter", HASHES))),
                texts(records));
    }

    private static ByteBuffer[] texts(String... records) {
        return Arrays.stream(records)
                .map(r -> ByteBuffer.wrap(r.getBytes(UTF_8)))
                .toArray(ByteBuffer[]::new);
    }

    @Test
    void splitsObjectsOnOneLineAndOnLinesIntoTheirExactBytes() throws Exception {
        RecordingSink sink = json("{\"a\":1}{\"a\":2}", "{\"a\": [1, {\"b\":\"}\"}]}\n{\"a\":4}\r\n\t {\"a\":5}\n");
        assertThat(sink.texts())
                .containsExactly("{\"a\":1}", "{\"a\":2}", "{\"a\": [1, {\"b\":\"}\"}]}", "{\"a\":4}", "{\"a\":5}");
        assertThat(sink.passed())
                .extracting(RecordingSink.Passed::position, RecordingSink.Passed::subsequence)
                .containsExactly(tuple(0L, 0), tuple(0L, 1), tuple(1L, 0), tuple(1L, 1), tuple(1L, 2));
        assertThat(sink.failed()).isEmpty();
    }

    @Test
    void readsARecordFromAnywhereInItsBuffer() throws Exception {
        byte[] framed = "xx{\"a\":1} {\"b\":2}yy".getBytes(UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(framed.length).put(framed).flip();
        ByteBuffer heapSlice = ByteBuffer.wrap(framed).position(1).slice();
        DeAggregation processor = new DeAggregation(DeAggregationParameters.of(spec("SubRecordType", "JSON")));
        RecordingSink sink = run(
                processor,
                direct.position(2).limit(framed.length - 2),
                heapSlice.position(1).limit(framed.length - 3));
        assertThat(sink.texts()).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void failsARecordThatIsNotASequenceOfObjects() throws Exception {
        RecordingSink sink = json(
                "[{\"a\":1},{\"a\":2}]",
                "{\"a\":1} 2",
                "{\"a\":1}{\"a\":",
                "{\"a\":1}]",
                "{'a':1}",
                "{\"a\":1} x",
                "\"s\"");
        assertThat(sink.passed()).isEmpty();
        assertThat(sink.failed()).hasSize(7).allSatisfy(f -> {
            assertThat(f.failure().errorOutputType()).isEqualTo("processing-failed");
            assertThat(f.failure().errorCode()).isEqualTo(DeAggregation.INVALID_JSON);
            assertThat(f.failure().attemptsMade()).isEqualTo(1);
            assertThat(f.failure().trailingMembers()).isEmpty();
        });
        assertThat(sink.failed().get(0).failure().errorMessage())
                .isEqualTo("Sub-record 0 is not a JSON object but an array.");
        assertThat(sink.failed().get(1).failure().errorMessage())
                .isEqualTo("Sub-record 1 is not a JSON object but a number.");
        assertThat(sink.failed().get(2).failure().errorMessage()).startsWith("Malformed JSON at line 1, column ");
        assertThat(new String(sink.failed().get(3).data(), UTF_8)).isEqualTo("{\"a\":1}]");
    }

    @Test
    void failsJsonNestedDeeperThanTheParserAllows() throws Exception {
        RecordingSink sink = json("{\"a\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}");
        assertThat(sink.passed()).isEmpty();
        assertThat(sink.failed())
                .singleElement()
                .satisfies(f -> assertThat(f.failure().errorMessage()).contains("nesting depth"));
    }

    @Test
    void failsJsonThatIsNotUtf8() throws Exception {
        DeAggregation processor = new DeAggregation(DeAggregationParameters.of(spec("SubRecordType", "JSON")));
        RecordingSink sink = run(processor, ByteBuffer.wrap("{\"a\":1}{\"a\":2}".getBytes(StandardCharsets.UTF_16LE)));
        assertThat(sink.passed()).isEmpty();
        assertThat(sink.failed())
                .singleElement()
                .satisfies(f -> assertThat(f.failure().errorMessage()).isEqualTo("The record is not JSON in UTF-8."));
    }

    @Test
    void dropsARecordWithNoSubRecords() throws Exception {
        RecordingSink sink = json("", " \n\n ");
        assertThat(sink.passed()).isEmpty();
        assertThat(sink.failed()).isEmpty();
        assertThat(delimited("", "####", "########").passed()).isEmpty();
    }

    @Test
    void splitsOnTheDelimiterEmittingNoEmptyParts() throws Exception {
        RecordingSink sink = delimited("a####b", "####a########b####", "a###b", "#####a");
        assertThat(sink.texts()).containsExactly("a", "b", "a", "b", "a###b", "#a");
        assertThat(sink.passed()).extracting(RecordingSink.Passed::subsequence).containsExactly(0, 1, 0, 1, 0, 0);
    }

    @Test
    void takesAtMost500SubRecordsFromARecord() throws Exception {
        String most = "{}".repeat(500);
        RecordingSink sink = json(most, most + "{}");
        assertThat(sink.passed())
                .hasSize(500)
                .allSatisfy(p -> assertThat(p.position()).isZero());
        assertThat(sink.passed().get(499).subsequence()).isEqualTo(499);
        assertThat(sink.failed()).singleElement().satisfies(f -> {
            assertThat(f.position()).isEqualTo(1);
            assertThat(f.subsequence()).isZero();
            assertThat(f.data()).asString(UTF_8).isEqualTo(most + "{}");
            assertThat(f.failure().errorCode()).isEqualTo(DeAggregation.TOO_MANY_SUB_RECORDS);
            assertThat(f.failure().errorMessage())
                    .isEqualTo("The record holds more than 500 sub-records, the most it may hold.");
        });
        RecordingSink delimited = delimited("x####".repeat(500), "x####".repeat(501));
        assertThat(delimited.passed()).hasSize(500);
        assertThat(delimited.failed())
                .singleElement()
                .satisfies(f -> assertThat(f.failure().errorCode()).isEqualTo(DeAggregation.TOO_MANY_SUB_RECORDS));
    }

    @Test
    void parsesAndDescribesItsParameters() {
        assertThat(DeAggregationParameters.of(spec("SubRecordType", "JSON")))
                .isEqualTo(new DeAggregationParameters(DeAggregationParameters.SubRecordType.JSON, Optional.empty()));
        DeAggregationParameters delimited =
                DeAggregationParameters.of(spec("Delimiter", HASHES, "SubRecordType", "DELIMITED"));
        assertThat(delimited.delimiterBytes()).isEqualTo("####".getBytes(UTF_8));
        assertThat(DeAggregationParameters.described(spec("Delimiter", HASHES, "SubRecordType", "DELIMITED")))
                .containsExactly(Map.entry("SubRecordType", "DELIMITED"), Map.entry("Delimiter", HASHES));
    }

    @Test
    void refusesBadParametersInAwsWords() {
        assertRefused(spec(), "Processor parameter SubRecordType is required for processor type RecordDeAggregation.");
        assertRefused(spec("SubRecordType", "CSV"), "Processor parameter SubRecordType must be JSON or DELIMITED: CSV");
        assertRefused(
                spec("SubRecordType", "DELIMITED"),
                "Processor parameter Delimiter is required when SubRecordType is DELIMITED.");
        assertRefused(
                spec("SubRecordType", "JSON", "Delimiter", HASHES),
                "Processor parameter Delimiter is only supported when SubRecordType is DELIMITED.");
        assertRefused(
                spec("SubRecordType", "DELIMITED", "Delimiter", "not base64!"),
                "Processor parameter Delimiter must be the base64 encoding of at least one byte: not base64!");
        assertRefused(
                spec("SubRecordType", "JSON", "LambdaArn", "x"),
                "Processor parameter LambdaArn is not supported for processor type RecordDeAggregation; the"
                        + " supported parameters are SubRecordType, Delimiter.");
    }

    private static void assertRefused(ProcessorSpec processor, String message) {
        assertThatThrownBy(() -> DeAggregationParameters.of(processor))
                .isInstanceOf(FirehoseException.class)
                .hasMessage(message);
    }
}
