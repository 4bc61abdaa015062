package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

/** A JSON object used as a map: its field names have the key shape, its values the value shape. */
public record MapShape(String name, StringShape key, Shape value, LengthRange length) implements Shape {
    public MapShape {
        requireNonNull(name, "name is null");
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        requireNonNull(length, "length is null");
    }
}
