package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

/** An operation of the API, named as in {@code X-Amz-Target}, with its input and output shapes. */
public record Operation(String name, StructureShape input, StructureShape output) {
    public Operation {
        requireNonNull(name, "name is null");
        requireNonNull(input, "input is null");
        requireNonNull(output, "output is null");
    }
}
