package io.sluice.destination;

import static java.util.Objects.requireNonNull;

/** What one attempt to send a batch achieved. */
public sealed interface DeliveryOutcome {
    /** The destination has the whole batch. */
    record Delivered() implements DeliveryOutcome {}

    /**
     * The attempt failed and may succeed later: the engine retries with backoff until the destination's
     * retry budget is spent (then it gives up as for {@link Rejected} with {@link Disposal#ERROR_OUTPUT})
     * or, for destinations without one, until the data's retention ends. {@code errorCode} is AWS's name
     * for the failure (e.g. {@code S3.NoSuchBucket}); {@code message} goes into error documents.
     */
    record Retry(String errorCode, String message) implements DeliveryOutcome {
        public Retry {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(message, "message is null");
        }
    }

    /** The batch can never be delivered: the engine gives up on it now, disposing of it as told. */
    record Rejected(String errorCode, String message, Disposal disposal) implements DeliveryOutcome {
        public Rejected {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(message, "message is null");
            requireNonNull(disposal, "disposal is null");
        }
    }

    /** What becomes of records the engine gives up on. */
    enum Disposal {
        /** Written to the destination's error output (delivery spec §5). */
        ERROR_OUTPUT,
        /** Dropped and counted, e.g. after an HTTP 413 (delivery spec §5.2). */
        DISCARD
    }

    DeliveryOutcome DELIVERED = new Delivered();
}
