package io.sluice.destination;

import java.io.IOException;

/**
 * One stream's destination, built from its configuration: it encodes a batch and sends it. Thin by
 * design: buffering, retries, backoff, expiry and commits belong to the engine. Thread-safe: batches
 * of one stream may be encoded and sent concurrently.
 */
public interface Destination {
    BatchEncoder encoder(BatchInfo batch) throws IOException;

    /**
     * One attempt; never throws for a failure the destination can name (return {@link DeliveryOutcome.Retry}).
     * The batch may have been encoded by an earlier destination of the same class for the same stream
     * (the configuration changed while it was retried): it is then sent as this destination's
     * configuration says, with what the batch's encoding fixed (its body, key or request id) kept.
     */
    DeliveryOutcome send(PreparedBatch batch);
}
