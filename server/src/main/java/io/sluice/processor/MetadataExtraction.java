package io.sluice.processor;

import static io.sluice.processor.ProcessorSpec.invalid;
import static java.util.Objects.requireNonNull;

import io.sluice.catalog.StreamRef;
import io.sluice.common.FirehoseException;
import io.sluice.common.RecordScratch;
import io.sluice.metrics.Metrics;
import io.sluice.metrics.StreamMetric;
import io.sluice.processor.jq.MetadataQuery;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The {@code MetadataExtraction} processor (delivery spec §7.2): its jq 1.6 query turns each JSON record
 * into the record's {@code partitionKeyFromQuery} keys. A record that is not JSON, or for which the query
 * yields no usable keys, goes to the error output as {@code processing-failed} with the query's error
 * code ({@link MetadataQuery}). Publishes {@code JQProcessing.Duration} per record.
 */
public final class MetadataExtraction implements RecordProcessor.PerRecord {
    public static final String TYPE = "MetadataExtraction";
    public static final String QUERY = "MetadataExtractionQuery";
    public static final String ENGINE = "JsonParsingEngine";
    /** The only {@code JsonParsingEngine} AWS offers. */
    public static final String JQ_1_6 = "JQ-1.6";

    private static final List<String> NAMES = List.of(QUERY, ENGINE);

    private final MetadataQuery query;
    private final StreamRef stream;
    private final Metrics metrics;

    /** {@code JQProcessing.Duration}, looked up at the first record (called on one thread at a time). */
    private LongConsumer jqDuration;
    /** Room for copying a record the query reads. */
    private final RecordScratch scratch = new RecordScratch();

    public MetadataExtraction(MetadataQuery query, StreamRef stream, Metrics metrics) {
        this.query = requireNonNull(query, "query is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /**
     * The compiled query of {@code processor}, a {@code MetadataExtraction} processor.
     *
     * @throws FirehoseException {@code InvalidArgumentException} for a missing or invalid query, an engine
     *     other than {@value #JQ_1_6}, or a parameter this processor does not take
     */
    public static MetadataQuery query(ProcessorSpec processor) {
        Map<String, String> given = processor.parameters();
        processor.requireParametersAmong(NAMES);
        String engine = given.get(ENGINE);
        if (!JQ_1_6.equals(engine)) {
            throw invalid("Processor parameter JsonParsingEngine must be JQ-1.6 for processor type MetadataExtraction"
                    + (engine == null ? "." : ": " + engine));
        }
        String query = given.get(QUERY);
        if (query == null) {
            throw invalid("Processor parameter MetadataExtractionQuery is required for processor type"
                    + " MetadataExtraction.");
        }
        return MetadataQuery.compile(query);
    }

    @Override
    public void process(ProcessorRecord record, Emitter out) {
        if (jqDuration == null) {
            jqDuration = metrics.timer(StreamMetric.JQ_PROCESSING_DURATION, stream);
        }
        long started = System.nanoTime();
        MetadataQuery.Outcome outcome = evaluate(record.data());
        jqDuration.accept(System.nanoTime() - started);
        switch (outcome) {
            case MetadataQuery.Keys keys ->
                out.emit(record.withPartitionKeys(record.partitionKeys().withQueryKeys(keys.keys())));
            case MetadataQuery.Failed failed ->
                out.fail(new ProcessingFailure(
                        ProcessingFailure.PROCESSING_FAILED,
                        failed.errorCode(),
                        failed.errorMessage(),
                        1,
                        new LinkedHashMap<>()));
        }
    }

    /**
     * The query's outcome on {@code data}: read in place from a writable heap buffer, else copied into
     * {@link #scratch} (the log hands out read-only views).
     */
    private MetadataQuery.Outcome evaluate(ByteBuffer data) {
        int length = data.remaining();
        if (data.hasArray()) {
            return query.evaluate(data.array(), data.arrayOffset() + data.position(), length);
        }
        return query.evaluate(scratch.copy(data), 0, length);
    }
}
