package io.sluice.api.model;

/** A shape of the service model: what one JSON value of a request or response may be. */
public sealed interface Shape permits StructureShape, ListShape, MapShape, ScalarShape {

    /** The shape's name in the model, such as {@code DeliveryStreamName}. */
    String name();
}
