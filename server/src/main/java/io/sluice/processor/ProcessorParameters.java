package io.sluice.processor;

import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.util.List;

/**
 * Checks of the parameters of the processors that take fixed values (de-aggregation, decompression,
 * CloudWatch Logs processing), refusing in the words {@link LambdaParameters} uses.
 */
final class ProcessorParameters {
    private ProcessorParameters() {}

    /** Refuses a parameter of {@code processor} not among {@code names}. */
    static void refuseOthers(ProcessorSpec processor, List<String> names) {
        for (String name : processor.parameters().keySet()) {
            if (!names.contains(name)) {
                throw invalid("Processor parameter " + name + " is not supported for processor type " + processor.type()
                        + "; the supported parameters are " + String.join(", ", names) + ".");
            }
        }
    }

    /** Refuses a value of parameter {@code name} other than {@code only} (ignoring case), if it is given. */
    static void refuseOtherValues(ProcessorSpec processor, String name, String only) {
        String value = processor.parameters().get(name);
        if (value != null && !value.equalsIgnoreCase(only)) {
            throw invalid("Processor parameter " + name + " of processor type " + processor.type() + " must be " + only
                    + ": " + value);
        }
    }

    /** Refuses {@code processor} without parameter {@code name}. */
    static String required(ProcessorSpec processor, String name) {
        String value = processor.parameters().get(name);
        if (value == null) {
            throw invalid("Processor parameter " + name + " is required for processor type " + processor.type() + ".");
        }
        return value;
    }

    static FirehoseException invalid(String message) {
        return new FirehoseException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
