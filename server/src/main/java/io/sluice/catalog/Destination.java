package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

/** The single destination of a stream: its id ({@code destinationId-000000000001}) and spec. */
public record Destination(String id, DestinationSpec spec) {
    public static final String FIRST_ID = "destinationId-000000000001";

    public Destination {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
    }
}
