package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

/** Bytes, sent as base64 text; the length range counts decoded bytes. */
public record BlobShape(String name, LengthRange length, boolean sensitive) implements ScalarShape {
    public BlobShape {
        requireNonNull(name, "name is null");
        requireNonNull(length, "length is null");
    }
}
