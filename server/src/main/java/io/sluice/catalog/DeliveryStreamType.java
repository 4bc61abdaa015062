package io.sluice.catalog;

import io.sluice.common.WireName;
import java.util.Optional;

/** {@code DeliveryStreamType} of the model. */
public enum DeliveryStreamType implements WireName {
    DIRECT_PUT("DirectPut"),
    KINESIS_STREAM_AS_SOURCE("KinesisStreamAsSource"),
    MSK_AS_SOURCE("MSKAsSource"),
    DATABASE_AS_SOURCE("DatabaseAsSource");

    private final String wireName;

    DeliveryStreamType(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<DeliveryStreamType> fromWire(String value) {
        return WireName.parse(DeliveryStreamType.class, value);
    }
}
