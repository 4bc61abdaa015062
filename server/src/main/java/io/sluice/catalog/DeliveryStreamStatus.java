package io.sluice.catalog;

/** {@code DeliveryStreamStatus} of the model; the constant names are the wire values. */
public enum DeliveryStreamStatus {
    CREATING,
    CREATING_FAILED,
    DELETING,
    DELETING_FAILED,
    ACTIVE
}
