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
                throw invalid("Processor parameter " + name + " is not supported for processor type " + type
                        + "; the supported parameters are " + String.join(", ", supported) + ".");
            }
        }
    }

    /**
     * The value of parameter {@code name}.
     *
     * @throws FirehoseException {@code InvalidArgumentException} when it is not given
     */
    public String requiredParameter(String name) {
        String value = parameters.get(name);
        if (value == null) {
            throw invalid("Processor parameter " + name + " is required for processor type " + type + ".");
        }
        return value;
    }

    /**
     * @throws FirehoseException {@code InvalidArgumentException} when parameter {@code name} is given with a
     *     value other than {@code only} (ignoring case)
     */
    public void requireValueIfGiven(String name, String only) {
        String value = parameters.get(name);
        if (value != null && !value.equalsIgnoreCase(only)) {
            throw invalid(
                    "Processor parameter " + name + " of processor type " + type + " must be " + only + ": " + value);
        }
    }

    /** The {@code InvalidArgumentException} refusing a processing configuration, with {@code message}. */
    static FirehoseException invalid(String message) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
