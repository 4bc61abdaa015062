package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A JSON string. The pattern must match the whole value. An empty {@code enumValues} means the
 * shape is not an enum. A sensitive value is never echoed in an error message.
 */
public record StringShape(
        String name, LengthRange length, Optional<Pattern> pattern, List<String> enumValues, boolean sensitive)
        implements ScalarShape {
    public StringShape {
        requireNonNull(name, "name is null");
        requireNonNull(length, "length is null");
        requireNonNull(pattern, "pattern is null");
        enumValues = List.copyOf(enumValues);
        if (new HashSet<>(enumValues).size() != enumValues.size()) {
            throw new IllegalArgumentException("enum of " + name + " repeats a value");
        }
    }
}
