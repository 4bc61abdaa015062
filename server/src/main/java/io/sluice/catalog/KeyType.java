package io.sluice.catalog;

/** {@code KeyType} of the model; the constant names are the wire values. */
public enum KeyType {
    AWS_OWNED_CMK,
    CUSTOMER_MANAGED_CMK
}
