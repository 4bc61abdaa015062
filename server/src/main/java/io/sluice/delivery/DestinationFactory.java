package io.sluice.delivery;

import io.sluice.catalog.DeliveryStream;
import io.sluice.destination.Destination;

/** Builds the destination of a stream from its current configuration. */
@FunctionalInterface
public interface DestinationFactory {
    Destination create(DeliveryStream stream);
}
