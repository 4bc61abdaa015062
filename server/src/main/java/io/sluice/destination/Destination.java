package io.sluice.destination;

import java.io.IOException;

/**
 * One stream's destination, built from its configuration: it encodes a batch and sends it. Thin by
 * design: buffering, retries, backoff, expiry and commits belong to the engine. Thread-safe: batches
 * of one stream may be encoded and sent concurrently.
 */
public interface Destination {
    BatchEncoder encoder(BatchInfo batch) throws IOException;

    /** One attempt; never throws for a failure the destination can name (return {@link DeliveryOutcome.Retry}). */
    DeliveryOutcome send(PreparedBatch batch);
}
