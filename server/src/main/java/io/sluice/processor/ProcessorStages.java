package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import io.sluice.lambda.FunctionInvoker;
import io.sluice.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the run side of a destination's processor stage from its validated configuration: the
 * processors in AWS's order (delivery spec §6.1.10, §6.2.2, §6.4: decompression, CloudWatch Logs
 * processing, de-aggregation, Lambda, metadata extraction, the partition key check, the delimiter), sharing the server's
 * {@link FunctionInvoker}. Given to the destination types by the composition root. Thread-safe.
 */
public final class ProcessorStages {
    private final FunctionInvoker functions;
    private final LambdaProcessor.Settings lambda;
    private final Metrics metrics;

    public ProcessorStages(FunctionInvoker functions, LambdaProcessor.Settings lambda, Metrics metrics) {
        this.functions = requireNonNull(functions, "functions is null");
        this.lambda = requireNonNull(lambda, "lambda is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /**
     * The processors {@code processing} runs for {@code stream} (none unless it is enabled), whose
     * destination runs {@code supported}. A stream that partitions dynamically ({@code partitioning}
     * present, with the keys its prefix uses) keeps the partition keys a function returns, and ends its
     * stage with a {@link PartitionKeyCheck}.
     */
    public List<RecordProcessor> build(
            DeliveryStream stream,
            Optional<Processing> processing,
            SupportedProcessors supported,
            Optional<PartitionKeyCheck> partitioning) {
        List<RecordProcessor> stage = new ArrayList<>();
        running(processing, Decompression.TYPE)
                .ifPresent(p -> stage.add(new Decompression(Decompression.DEFAULT_LIMIT)));
        running(processing, CloudWatchLogProcessing.TYPE).ifPresent(p -> stage.add(new CloudWatchLogProcessing()));
        running(processing, DeAggregationParameters.TYPE)
                .ifPresent(p -> stage.add(new DeAggregation(DeAggregationParameters.of(p))));
        running(processing, LambdaParameters.TYPE)
                .ifPresent(p -> stage.add(new LambdaProcessor(
                        LambdaParameters.of(p, supported.lambda()),
                        stream.ref(),
                        stream.source(),
                        partitioning.isPresent(),
                        functions,
                        lambda,
                        metrics)));
        running(processing, MetadataExtraction.TYPE)
                .ifPresent(p -> stage.add(new MetadataExtraction(MetadataExtraction.query(p), stream.ref(), metrics)));
        partitioning.ifPresent(stage::add);
        if (processing
                .map(p -> p.runs(ProcessorSpec.APPEND_DELIMITER_TO_RECORD))
                .orElse(false)) {
            stage.add(new AppendDelimiter());
        }
        return stage;
    }

    /** The first processor of {@code type} in {@code processing}, when processing is enabled. */
    public static Optional<ProcessorSpec> running(Optional<Processing> processing, String type) {
        return processing
                .filter(p -> p.runs(type))
                .flatMap(p -> p.processors().stream()
                        .filter(processor -> processor.type().equals(type))
                        .findFirst());
    }
}
