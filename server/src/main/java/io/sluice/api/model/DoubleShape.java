package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

/** A double, sent as a JSON number or as one of the strings {@code NaN}, {@code Infinity}, {@code -Infinity}. */
public record DoubleShape(String name, ValueRange range) implements ScalarShape {
    public DoubleShape {
        requireNonNull(name, "name is null");
        requireNonNull(range, "range is null");
    }
}
