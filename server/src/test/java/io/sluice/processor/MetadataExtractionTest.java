package io.sluice.processor;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.catalog.StreamRef;
import io.sluice.metrics.Metrics;
import io.sluice.processor.jq.MetadataQuery;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataExtractionTest {
    private final Metrics metrics = new Metrics();
    private final MetadataExtraction extraction = new MetadataExtraction(
            MetadataQuery.compile("{k: .k, n: (.pad | length | tostring)}"),
            new StreamRef("000000000000", "us-east-1", "extracting"),
            metrics);

    private static ByteBuffer record(String k, int pad, boolean readOnly) {
        byte[] json = ("{\"k\":\"" + k + "\",\"pad\":\"" + "x".repeat(pad) + "\"}").getBytes(UTF_8);
        // A view in the middle of a larger buffer, as the log's records are.
        ByteBuffer all = ByteBuffer.allocate(json.length + 20);
        all.position(10).put(json).position(10).limit(10 + json.length);
        ByteBuffer view = all.slice();
        return readOnly ? view.asReadOnlyBuffer() : view;
    }

    private List<String> keysOf(ByteBuffer data) {
        List<String> keys = new ArrayList<>();
        extraction.process(ProcessorRecord.source(0, 0, data), new RecordProcessor.Emitter() {
            @Override
            public void emit(ProcessorRecord record) {
                keys.add(record.partitionKeys().fromQuery().toString());
            }

            @Override
            public void fail(ProcessingFailure failure) {
                keys.add(failure.errorCode());
            }
        });
        return keys;
    }

    @Test
    void readsRecordsOfEverySizeFromReadOnlyAndWritableViews() {
        for (int pad : new int[] {10, 10_000, 100_000, 5, 70_000, 3}) {
            for (boolean readOnly : new boolean[] {true, false}) {
                ByteBuffer data = record("v" + pad, pad, readOnly);
                int position = data.position();
                assertThat(keysOf(data)).containsExactly("{k=v" + pad + ", n=" + pad + "}");
                assertThat(data.position()).isEqualTo(position);
            }
        }
        assertThat(keysOf(ByteBuffer.wrap("{\"k\":".getBytes(UTF_8)).asReadOnlyBuffer()))
                .containsExactly(MetadataQuery.NON_JSON);
        assertThat(metrics.scrape()).containsPattern("firehose_JQProcessing_Duration_seconds_count\\{[^}]*} 13\\b");
    }
}
