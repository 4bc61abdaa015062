package io.sluice.catalog;

/** {@code DeliveryStreamEncryptionStatus} of the model; the constant names are the wire values. */
public enum EncryptionStatus {
    ENABLED,
    ENABLING,
    ENABLING_FAILED,
    DISABLED,
    DISABLING,
    DISABLING_FAILED
}
