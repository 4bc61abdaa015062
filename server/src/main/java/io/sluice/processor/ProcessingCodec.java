package io.sluice.processor;

import static io.sluice.processor.ProcessorSpec.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.FirehoseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the wire shape {@code ProcessingConfiguration} (already checked against the service model) into
 * a {@link Processing}, refusing what the destination does not run, and renders it back as configured.
 */
public final class ProcessingCodec {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ProcessingCodec() {}

    /** @throws FirehoseException {@code InvalidArgumentException} for a processor {@code supported} refuses */
    public static Processing parse(JsonNode config, SupportedProcessors supported) {
        List<ProcessorSpec> processors = new ArrayList<>();
        for (JsonNode processor : config.path("Processors")) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (JsonNode parameter : processor.path("Parameters")) {
                parameters.put(
                        parameter.path("ParameterName").asText(),
                        parameter.path("ParameterValue").asText());
            }
            processors.add(new ProcessorSpec(processor.path("Type").asText(), parameters));
        }
        Optional<Boolean> enabled =
                config.hasNonNull("Enabled") ? Optional.of(config.get("Enabled").asBoolean()) : Optional.empty();
        Processing processing = new Processing(enabled, processors);
        check(processing, supported);
        return processing;
    }

    /** The {@code ProcessingConfiguration} shape, as configured: what the catalog keeps. */
    public static ObjectNode render(Processing processing) {
        return render(processing, ProcessorSpec::parameters);
    }

    /**
     * The {@code ProcessingConfiguration} shape as DescribeDeliveryStream shows it: a Lambda processor's
     * parameters with {@code supported}'s defaults filled in (delivery spec §6.1.1), a de-aggregation
     * processor's in AWS's order.
     */
    public static ObjectNode describe(Processing processing, SupportedProcessors supported) {
        return render(processing, processor -> switch (processor.type()) {
            case LambdaParameters.TYPE -> LambdaParameters.described(processor, supported.lambda());
            case DeAggregationParameters.TYPE -> DeAggregationParameters.described(processor);
            default -> processor.parameters();
        });
    }

    private static ObjectNode render(Processing processing, Function<ProcessorSpec, Map<String, String>> parametersOf) {
        ObjectNode node = JSON.objectNode();
        processing.enabled().ifPresent(e -> node.put("Enabled", e));
        ArrayNode list = node.putArray("Processors");
        for (ProcessorSpec processor : processing.processors()) {
            ObjectNode p = list.addObject().put("Type", processor.type());
            ArrayNode parameters = p.putArray("Parameters");
            parametersOf
                    .apply(processor)
                    .forEach((name, value) ->
                            parameters.addObject().put("ParameterName", name).put("ParameterValue", value));
        }
        return node;
    }

    /**
     * Refuses, while processing is enabled, a processor of a type the destination does not run, a second
     * processor of one type (§6.1.9) and CloudWatch Logs processing without decompression (§6.4.1); and
     * always a supported processor's bad parameters.
     */
    private static void check(Processing processing, SupportedProcessors supported) {
        boolean enabled = processing.enabled().orElse(false);
        Set<String> seen = new HashSet<>();
        for (ProcessorSpec processor : processing.processors()) {
            if (!supported.supports(processor.type())) {
                if (enabled) {
                    throw invalid("Processor type " + processor.type() + " is not supported by Sluice for "
                            + supported.destinations() + " destinations yet; the supported processor types are "
                            + String.join(", ", supported.types()) + ".");
                }
                continue;
            }
            switch (processor.type()) {
                case LambdaParameters.TYPE -> LambdaParameters.of(processor, supported.lambda());
                case MetadataExtraction.TYPE -> MetadataExtraction.query(processor);
                case DeAggregationParameters.TYPE -> DeAggregationParameters.of(processor);
                case Decompression.TYPE -> Decompression.check(processor);
                case CloudWatchLogProcessing.TYPE -> CloudWatchLogProcessing.check(processor);
                case ProcessorSpec.APPEND_DELIMITER_TO_RECORD -> {
                    if (!processor.parameters().isEmpty()) {
                        throw invalid("Processor AppendDelimiterToRecord takes no parameters.");
                    }
                }
                default -> throw new IllegalStateException("no rules for processor type " + processor.type());
            }
            if (enabled && !seen.add(processor.type())) {
                throw invalid("Exactly 1 Processor of type " + processor.type()
                        + " can be supplied when processing is enabled.");
            }
        }
        if (enabled) {
            CloudWatchLogProcessing.checkPaired(processing.processors());
        }
    }
}
