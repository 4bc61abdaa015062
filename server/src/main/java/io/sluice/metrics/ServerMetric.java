package io.sluice.metrics;

/** Metrics of the Sluice process itself (not Firehose's), prefixed {@code sluice_}. */
public enum ServerMetric {
    LOG_SIZE_BYTES("sluice.log.size.bytes"),
    LOG_GROUPS("sluice.log.groups"),
    LOG_GROUP_BATCHES("sluice.log.group.batches"),
    LOG_WRITTEN_BYTES("sluice.log.written.bytes"),
    LOG_FSYNC("sluice.log.fsync"),
    LOG_EXPIRED_RECORDS("sluice.log.expired.records");

    private final String metricName;

    ServerMetric(String metricName) {
        this.metricName = metricName;
    }

    public String metricName() {
        return metricName;
    }
}
