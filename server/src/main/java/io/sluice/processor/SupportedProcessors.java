package io.sluice.processor;

import static java.util.Objects.requireNonNull;

/**
 * Which processors a destination runs, so that {@link ProcessingCodec} refuses the others in the words
 * that suit it.
 */
public sealed interface SupportedProcessors {
    /**
     * Processors of {@code type} only, without parameters; a processor of another type is refused even
     * while processing is disabled.
     */
    record Only(String type) implements SupportedProcessors {
        public Only {
            requireNonNull(type, "type is null");
        }
    }

    /**
     * None: processors may be configured only while processing is disabled. {@code destinations} names
     * the kind of destination in the refusal, e.g. {@code HTTP endpoint}.
     */
    record NoneEnabled(String destinations) implements SupportedProcessors {
        public NoneEnabled {
            requireNonNull(destinations, "destinations is null");
        }
    }
}
