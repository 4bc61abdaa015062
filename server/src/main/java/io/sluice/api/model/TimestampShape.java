package io.sluice.api.model;

import static java.util.Objects.requireNonNull;

/** An instant, sent as a JSON number of seconds since the Unix epoch, possibly with a fraction. */
public record TimestampShape(String name) implements ScalarShape {
    public TimestampShape {
        requireNonNull(name, "name is null");
    }
}
