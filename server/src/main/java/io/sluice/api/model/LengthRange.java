package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * The model's {@code min} and {@code max} on a string (in Unicode code points), a blob (in
 * decoded bytes), a list or a map (in entries). Both bounds are inclusive.
 */
public record LengthRange(OptionalLong min, OptionalLong max) {
    public static final LengthRange UNBOUNDED = new LengthRange(OptionalLong.empty(), OptionalLong.empty());

    public LengthRange {
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        if (min.isPresent() && min.getAsLong() < 0) {
            throw new IllegalArgumentException("min length is negative: " + min.getAsLong());
        }
        if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
            throw new IllegalArgumentException(
                    "min length " + min.getAsLong() + " is above max length " + max.getAsLong());
        }
    }

    /** Whether a length lies within both bounds. */
    public boolean contains(long length) {
        return (min.isEmpty() || length >= min.getAsLong()) && (max.isEmpty() || length <= max.getAsLong());
    }
}
