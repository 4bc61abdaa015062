package io.sluice.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The {@code ProcessingConfiguration} shape, as configured. */
    public static ObjectNode render(Processing processing) {
        ObjectNode node = JSON.objectNode();
        processing.enabled().ifPresent(e -> node.put("Enabled", e));
        ArrayNode list = node.putArray("Processors");
        for (ProcessorSpec processor : processing.processors()) {
            ObjectNode p = list.addObject().put("Type", processor.type());
            ArrayNode parameters = p.putArray("Parameters");
            processor
                    .parameters()
                    .forEach((name, value) ->
                            parameters.addObject().put("ParameterName", name).put("ParameterValue", value));
        }
        return node;
    }

    private static void check(Processing processing, SupportedProcessors supported) {
        switch (supported) {
            case SupportedProcessors.Only only -> {
                for (ProcessorSpec processor : processing.processors()) {
                    if (!processor.type().equals(only.type())) {
                        throw invalid("Processor type " + processor.type() + " is not supported by Sluice yet; the"
                                + " supported processor is " + only.type() + ".");
                    }
                    if (!processor.parameters().isEmpty()) {
                        throw invalid("Processor " + only.type() + " takes no parameters.");
                    }
                }
            }
            case SupportedProcessors.NoneEnabled none -> {
                if (processing.enabled().orElse(false)
                        && !processing.processors().isEmpty()) {
                    throw invalid("Record processors (ProcessingConfiguration) are not supported by Sluice for "
                            + none.destinations() + " destinations yet; set ProcessingConfiguration.Enabled to false.");
                }
            }
        }
    }

    private static FirehoseException invalid(String message) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
