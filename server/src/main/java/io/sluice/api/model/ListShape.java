package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

/** A JSON array whose items all have the member shape. */
public record ListShape(String name, Shape member, LengthRange length) implements Shape {
    public ListShape {
        requireNonNull(name, "name is null");
        requireNonNull(member, "member is null");
        requireNonNull(length, "length is null");
    }
}
