package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Which processor types a destination runs, in the order the refusal names them, and the defaults its
 * Lambda processors take; {@code destinations} names the kind of destination in messages, e.g.
 * {@code HTTP endpoint}.
 */
public record SupportedProcessors(List<String> types, LambdaDefaults lambda, String destinations) {
    public SupportedProcessors {
        types = List.copyOf(types);
        requireNonNull(lambda, "lambda is null");
        requireNonNull(destinations, "destinations is null");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("a destination runs at least one processor type");
        }
    }

    boolean supports(String type) {
        return types.contains(type);
    }
}
