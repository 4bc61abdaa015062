package io.sluice.processor;

import static io.sluice.testing.CloudWatchLogsPayloads.controlMessage;
import static io.sluice.testing.CloudWatchLogsPayloads.dataMessage;
import static io.sluice.testing.CloudWatchLogsPayloads.gzip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.testing.RecordingSink;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CloudWatch Logs processors and de-aggregation chained in AWS's order, as a stream runs them. */
class CloudWatchLogsChainTest {
    private final ProcessorChain chain = ProcessorChain.of(List.of(
            new Decompression(Decompression.DEFAULT_LIMIT),
            new CloudWatchLogProcessing(),
            new DeAggregation(DeAggregationParameters.of(
                    new ProcessorSpec(DeAggregationParameters.TYPE, Map.of("SubRecordType", "JSON")))),
            new AppendDelimiter()));
    private final RecordingSink sink = new RecordingSink();

    private void feed(byte[]... records) throws Exception {
        for (int i = 0; i < records.length; i++) {
            chain.accept(ProcessorRecord.source(i, 1_000 + i, ByteBuffer.wrap(records[i])), sink);
        }
        chain.flush(sink);
    }

    @Test
    void deliversEachObjectOfEachLogEventOnItsOwnLine() throws Exception {
        feed(
                gzip(controlMessage()),
                gzip(dataMessage("/app/orders", "i-0a1b", List.of("{\"id\":1}", "{\"id\":2} {\"id\":3}"))),
                // two gzip members in one record, the second holding two documents
                concat(
                        gzip(dataMessage("/app/orders", "i-0a1b", List.of("{\"id\":4}"))),
                        gzip(controlMessage(), dataMessage("/app/orders", "i-0c2d", List.of("{\"id\":5}")))));
        assertThat(sink.failed()).isEmpty();
        assertThat(sink.texts())
                .containsExactly("{\"id\":1}\n", "{\"id\":2}\n", "{\"id\":3}\n", "{\"id\":4}\n", "{\"id\":5}\n");
        // object j of log event i is number i × 500 + j: distinct, in order
        assertThat(sink.passed())
                .extracting(RecordingSink.Passed::position, RecordingSink.Passed::subsequence)
                .containsExactly(tuple(1L, 0), tuple(1L, 500), tuple(1L, 501), tuple(2L, 0), tuple(2L, 500));
    }

    @Test
    void failsEachRecordWithTheDataTheFailingProcessorReceived() throws Exception {
        byte[] notGzip = "{\"id\":1}".getBytes(UTF_8);
        String notADocument = "{\"hello\":\"world\"}";
        byte[] truncated = gzip(dataMessage("/app/orders", "i-0a1b", List.of("{\"id\":1}")));
        feed(
                notGzip,
                gzip(notADocument),
                Arrays.copyOf(truncated, truncated.length - 4),
                gzip(dataMessage("/app/orders", "i-0a1b", List.of("{\"id\":2}", "[1]", "{\"id\":3}"))));
        assertThat(sink.texts()).containsExactly("{\"id\":2}\n", "{\"id\":3}\n");
        assertThat(sink.passed())
                .extracting(RecordingSink.Passed::position, RecordingSink.Passed::subsequence)
                .containsExactly(tuple(3L, 0), tuple(3L, 1000));
        assertThat(sink.failed())
                .extracting(
                        RecordingSink.Failed::position,
                        RecordingSink.Failed::subsequence,
                        f -> f.failure().errorOutputType(),
                        f -> f.failure().errorCode())
                .containsExactly(
                        tuple(0L, 0, "decompression-failed", Decompression.INVALID_DATA),
                        tuple(1L, 0, "processing-failed", CloudWatchLogProcessing.INVALID_DOCUMENT),
                        tuple(2L, 0, "decompression-failed", Decompression.INVALID_DATA),
                        tuple(3L, 1, "processing-failed", DeAggregation.INVALID_JSON));
        assertThat(sink.failed().get(0).data()).isEqualTo(notGzip);
        assertThat(sink.failed().get(1).data()).asString(UTF_8).isEqualTo(notADocument);
        assertThat(sink.failed().get(2).data()).isEqualTo(Arrays.copyOf(truncated, truncated.length - 4));
        assertThat(sink.failed().get(3).data()).asString(UTF_8).isEqualTo("[1]");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
