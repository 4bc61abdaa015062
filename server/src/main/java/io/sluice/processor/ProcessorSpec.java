package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One record processor as configured: its {@code Type} and parameters by name, in order. */
public record ProcessorSpec(String type, Map<String, String> parameters) {
    public static final String APPEND_DELIMITER_TO_RECORD = "AppendDelimiterToRecord";

    public ProcessorSpec {
        requireNonNull(type, "type is null");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * @throws FirehoseException {@code InvalidArgumentException} for a parameter not among {@code supported},
     *     the parameters this type takes
     */
    public void requireParametersAmong(List<String> supported) {
        for (String name : parameters.keySet()) {
            if (!supported.contains(name)) {
                throw new FirehoseException(
                        ErrorCode.INVALID_ARGUMENT,
                        "Processor parameter " + name + " is not supported for processor type " + type
                                + "; the supported parameters are " + String.join(", ", supported) + ".");
            }
        }
    }
}
