package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

/** A JSON {@code true} or {@code false}. */
public record BooleanShape(String name) implements ScalarShape {
    public BooleanShape {
        requireNonNull(name, "name is null");
    }
}
