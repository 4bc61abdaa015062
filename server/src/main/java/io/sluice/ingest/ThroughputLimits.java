package io.sluice.ingest;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;

/**
 * Direct PUT throughput quotas of every stream: records, requests (PutRecord and PutRecordBatch
 * calls) and data bytes per second; 0 means unlimited. AWS's defaults per stream are 500,000 records,
 * 2,000 requests and 5 MiB per second in us-east-1, us-west-2 and eu-west-1, and 100,000 records,
 * 1,000 requests and 1 MiB per second in other regions.
 */
public record ThroughputLimits(long recordsPerSecond, long requestsPerSecond, DataSize bytesPerSecond) {
    public static final ThroughputLimits UNLIMITED = new ThroughputLimits(0, 0, DataSize.ofBytes(0));

    public ThroughputLimits {
        requireNonNull(bytesPerSecond, "bytesPerSecond is null");
        if (recordsPerSecond < 0) {
            throw new IllegalArgumentException("records per second is not negative: " + recordsPerSecond);
        }
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("requests per second is not negative: " + requestsPerSecond);
        }
    }

    public boolean unlimited() {
        return recordsPerSecond == 0 && requestsPerSecond == 0 && bytesPerSecond.bytes() == 0;
    }
}
