package io.sluice.processor;

import static io.sluice.testing.CloudWatchLogsPayloads.controlMessage;
import static io.sluice.testing.CloudWatchLogsPayloads.dataMessage;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.common.FirehoseException;
import io.sluice.testing.RecordingSink;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudWatchLogProcessingTest {
    /** A data message as CloudWatch Logs writes one (pretty-printed here), with two log events. */
    private static final String DATA_MESSAGE = """
            {
                "messageType": "DATA_MESSAGE",
                "owner": "123456789012",
                "logGroup": "/aws/lambda/checkout",
                "logStream": "2026/12/04/[$LATEST]7f3c1e0a9b2d4c6e8f1a2b3c4d5e6f70",
                "subscriptionFilters": [
                    "checkout-to-firehose"
                ],
                "logEvents": [
                    {
                        "id": "38659248912345678901234567890123456789012345678901234560",
                        "timestamp": 1764842645123,
                        "message": "START RequestId: 5e1c2d3a Version: $LATEST\\n"
                    },
                    {
                        "id": "38659248912345678901234567890123456789012345678901234561",
                        "timestamp": 1764842645130,
                        "message": "{\\"level\\":\\"INFO\\",\\"msg\\":\\"paid\\",\\"amount\\":\\"12 \\u20ac\\"}"
                    }
                ]
            }
            """;

    private static RecordingSink run(String... records) throws Exception {
        RecordingSink sink = new RecordingSink();
        ProcessorChain chain = ProcessorChain.of(List.of(new CloudWatchLogProcessing()));
        for (int i = 0; i < records.length; i++) {
            chain.accept(ProcessorRecord.source(i, 0, ByteBuffer.wrap(records[i].getBytes(UTF_8))), sink);
        }
        chain.flush(sink);
        return sink;
    }

    @Test
    void emitsTheMessageOfEachLogEventInUtf8() throws Exception {
        RecordingSink sink = run(DATA_MESSAGE);
        assertThat(sink.failed()).isEmpty();
        assertThat(sink.texts())
                .containsExactly(
                        "START RequestId: 5e1c2d3a Version: $LATEST\n",
                        "{\"level\":\"INFO\",\"msg\":\"paid\",\"amount\":\"12 €\"}");
        assertThat(sink.passed().get(1).data()).endsWith("12 €\"}".getBytes(UTF_8));
        assertThat(sink.passed())
                .extracting(RecordingSink.Passed::position, RecordingSink.Passed::subsequence)
                .containsExactly(tuple(0L, 0), tuple(0L, 1));
    }

    @Test
    void dropsControlMessagesAndReadsEveryDocumentOfARecord() throws Exception {
        RecordingSink sink = run(
                controlMessage(),
                dataMessage("/app/a", "s1", List.of("a1", "a2")) + "\n" + controlMessage()
                        + dataMessage("/app/b", "s2", List.of("", "b2")),
                dataMessage("/app/c", "s3", List.of()));
        assertThat(sink.failed()).isEmpty();
        assertThat(sink.texts()).containsExactly("a1", "a2", "", "b2");
        assertThat(sink.passed())
                .extracting(RecordingSink.Passed::position, RecordingSink.Passed::subsequence)
                .containsExactly(tuple(1L, 0), tuple(1L, 1), tuple(1L, 2), tuple(1L, 3));
    }

    @Test
    void failsWhatIsNotASubscriptionDocument() throws Exception {
        String good = dataMessage("/app/a", "s1", List.of("kept?"));
        List<String> bad = List.of(
                "",
                "plain text",
                "[" + good + "]",
                good + " 42",
                good.substring(0, good.length() - 1),
                "{\"owner\":\"1\",\"logEvents\":[]}",
                "{\"messageType\":\"DATA_MESSAGE\"}",
                "{\"messageType\":\"OTHER\",\"logEvents\":[]}",
                "{\"messageType\":7,\"logEvents\":[]}",
                "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":{}}",
                "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[\"x\"]}",
                "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\"}]}",
                "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"message\":{\"a\":1}}]}",
                "{\"logEvents\":[{\"message\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}]}");
        RecordingSink sink = run(bad.toArray(String[]::new));
        assertThat(sink.passed()).isEmpty();
        assertThat(sink.failed()).hasSize(bad.size());
        for (int i = 0; i < bad.size(); i++) {
            RecordingSink.Failed failed = sink.failed().get(i);
            assertThat(failed.data()).asString(UTF_8).isEqualTo(bad.get(i));
            assertThat(failed.failure().errorOutputType()).isEqualTo("processing-failed");
            assertThat(failed.failure().errorCode()).isEqualTo(CloudWatchLogProcessing.INVALID_DOCUMENT);
        }
        assertThat(sink.failed())
                .extracting(f -> f.failure().errorMessage())
                .contains(
                        "The record holds no CloudWatch Logs subscription document.",
                        "Document 0 is an array, not an object.",
                        "Document 1 is a number, not an object.",
                        "Document 0 has no messageType.",
                        "Data message 0 has no logEvents.",
                        "Document 0 has messageType OTHER, neither DATA_MESSAGE nor CONTROL_MESSAGE.",
                        "A log event of document 0 has no string message.");
    }

    @Test
    void takesDataMessageExtractionTrueOnlyAndOnlyWithDecompression() {
        ProcessorSpec extraction =
                new ProcessorSpec("CloudWatchLogProcessing", Map.of("DataMessageExtraction", "true"));
        assertThatCode(() -> CloudWatchLogProcessing.check(extraction)).doesNotThrowAnyException();
        assertThatThrownBy(() -> CloudWatchLogProcessing.check(
                        new ProcessorSpec("CloudWatchLogProcessing", Map.of("DataMessageExtraction", "false"))))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Processor parameter DataMessageExtraction of processor type CloudWatchLogProcessing"
                        + " must be true: false");
        assertThatThrownBy(() -> CloudWatchLogProcessing.check(new ProcessorSpec("CloudWatchLogProcessing", Map.of())))
                .isInstanceOf(FirehoseException.class)
                .hasMessage("Processor parameter DataMessageExtraction is required for processor type"
                        + " CloudWatchLogProcessing.");

        ProcessorSpec decompression = new ProcessorSpec("Decompression", Map.of("CompressionFormat", "GZIP"));
        assertThatCode(() -> CloudWatchLogProcessing.checkPaired(List.of(extraction, decompression)))
                .doesNotThrowAnyException();
        assertThatCode(() -> CloudWatchLogProcessing.checkPaired(List.of(decompression)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CloudWatchLogProcessing.checkPaired(List.of(extraction)))
                .isInstanceOf(FirehoseException.class)
                .hasMessage(
                        "Processor type CloudWatchLogProcessing must be used with a processor of type Decompression.");
    }
}
