package io.sluice.processor;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A validated {@code ProcessingConfiguration}: the processors run only when {@code enabled} (absent
 * counts as disabled, and is echoed as absent).
 */
public record Processing(Optional<Boolean> enabled, List<ProcessorSpec> processors) {
    public Processing {
        requireNonNull(enabled, "enabled is null");
        processors = List.copyOf(processors);
    }

    /** Whether processing is enabled and has a processor of {@code type}. */
    public boolean runs(String type) {
        return enabled.orElse(false)
                && processors.stream().anyMatch(p -> p.type().equals(type));
    }
}
