package io.sluice.destination;

import static java.util.Objects.requireNonNull;

/** What one attempt to send a batch achieved. */
public sealed interface DeliveryOutcome {
    /** The destination has the whole batch. */
    record Delivered() implements DeliveryOutcome {}

    /**
     * The attempt failed and may succeed later: the engine retries with backoff until the data's
     * retention ends. {@code errorCode} is AWS's name for the failure (e.g. {@code S3.NoSuchBucket}).
     */
    record Retry(String errorCode, String message) implements DeliveryOutcome {
        public Retry {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(message, "message is null");
        }
    }

    DeliveryOutcome DELIVERED = new Delivered();
}
