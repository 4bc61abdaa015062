package io.sluice.api.model;

/**
 * A shape whose value is a single JSON scalar. In a list or a map AWS reports a scalar's broken
 * constraints once for the whole collection rather than per item.
 */
public sealed interface ScalarShape extends Shape
        permits StringShape, BlobShape, IntegerShape, DoubleShape, BooleanShape, TimestampShape {}
