package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One record processor as configured: its {@code Type} and parameters by name, in order. */
public record ProcessorSpec(String type, Map<String, String> parameters) {
    public static final String APPEND_DELIMITER_TO_RECORD = "AppendDelimiterToRecord";

    public ProcessorSpec {
        requireNonNull(type, "type is null");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
