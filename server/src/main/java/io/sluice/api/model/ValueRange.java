package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;

/** The model's {@code min} and {@code max} on an integer or double shape, both inclusive. */
public record ValueRange(Optional<BigDecimal> min, Optional<BigDecimal> max) {
    public static final ValueRange UNBOUNDED = new ValueRange(Optional.empty(), Optional.empty());

    public ValueRange {
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
            throw new IllegalArgumentException("min value " + min.get() + " is above max value " + max.get());
        }
    }
}
