package io.sluice.catalog;

/**
 * A stream's validated destination configuration: an immutable value of one destination type, opaque
 * to the catalog, which stores it through a {@link DestinationFormat}.
 */
public interface DestinationSpec {
    /**
     * Whether the stream takes only CloudWatch Logs subscription payloads (gzip), as one that decompresses
     * its records does (delivery spec §6.4.2): other puts are refused with {@code InvalidSourceException}.
     */
    default boolean acceptsOnlyCloudWatchLogs() {
        return false;
    }
}
