package io.sluice.destination.s3;

import io.sluice.common.WireName;
import java.util.Optional;

/** {@code CompressionFormat} of the model. */
public enum CompressionFormat implements WireName {
    UNCOMPRESSED("UNCOMPRESSED"),
    GZIP("GZIP"),
    ZIP("ZIP"),
    SNAPPY("Snappy"),
    HADOOP_SNAPPY("HADOOP_SNAPPY");

    private final String wireName;

    CompressionFormat(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<CompressionFormat> fromWire(String value) {
        return WireName.parse(CompressionFormat.class, value);
    }
}
