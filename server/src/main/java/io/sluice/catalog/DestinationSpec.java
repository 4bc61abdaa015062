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

    /**
     * Whether every source record is also written to an S3 backup ({@code S3BackupMode} {@code Enabled},
     * {@code AllData}, {@code AllEvents}, {@code AllDocuments}): AWS offers it only to streams whose source
     * is DirectPut or a Kinesis data stream (delivery spec §2.5).
     */
    default boolean backsUpAllRecords() {
        return false;
    }
}
