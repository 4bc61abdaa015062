package io.sluice.catalog;

import java.util.Arrays;
import java.util.Optional;

/** {@code DeliveryStreamType} of the model. */
public enum DeliveryStreamType {
    DIRECT_PUT("DirectPut"),
    KINESIS_STREAM_AS_SOURCE("KinesisStreamAsSource"),
    MSK_AS_SOURCE("MSKAsSource"),
    DATABASE_AS_SOURCE("DatabaseAsSource");

    private final String wireName;

    DeliveryStreamType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<DeliveryStreamType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(value)).findFirst();
    }
}
