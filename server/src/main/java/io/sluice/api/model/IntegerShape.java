package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

/** A 32-bit signed integer, sent as a JSON number. */
public record IntegerShape(String name, ValueRange range) implements ScalarShape {
    public IntegerShape {
        requireNonNull(name, "name is null");
        requireNonNull(range, "range is null");
    }
}
