package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

public record Tag(String key, String value) {
    public Tag {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }
}
