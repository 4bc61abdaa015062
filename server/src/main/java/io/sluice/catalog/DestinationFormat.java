package io.sluice.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * How a {@link CatalogStore} persists destinations it knows nothing about: each spec as JSON under a
 * member name of its own, read back through the same validation as a created one.
 */
public interface DestinationFormat {
    /** The member the spec is stored under, e.g. {@code ExtendedS3DestinationConfiguration}. */
    String member(DestinationSpec spec);

    /** The spec in the shape of its {@link #member}, with defaults and secrets. */
    ObjectNode render(DestinationSpec spec);

    /**
     * Where the configuration stored under {@code member}, which {@link #reads}, holds secrets: JSON
     * pointers such as {@code /EndpointConfiguration/AccessKey}, sealed at rest by the store.
     */
    default List<String> secrets(String member) {
        return List.of();
    }

    /** Whether a stored member holds a destination {@link #parse} reads. */
    boolean reads(String member);

    /** The validated spec stored under {@code member}, which {@link #reads}. */
    DestinationSpec parse(String member, JsonNode configuration);
}
