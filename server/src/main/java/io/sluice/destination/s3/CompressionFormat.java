package io.sluice.destination.s3;

import java.util.Arrays;
import java.util.Optional;

/** {@code CompressionFormat} of the model. */
public enum CompressionFormat {
    UNCOMPRESSED("UNCOMPRESSED"),
    GZIP("GZIP"),
    ZIP("ZIP"),
    SNAPPY("Snappy"),
    HADOOP_SNAPPY("HADOOP_SNAPPY");

    private final String wireName;

    CompressionFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<CompressionFormat> fromWire(String value) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(value)).findFirst();
    }
}
