package io.sluice.destination;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one attempt to send a batch achieved: one fate for the whole batch ({@link Delivered},
 * {@link Retry}, {@link Rejected}), or one per record ({@link Partial}), which is normal, not an error.
 */
public sealed interface DeliveryOutcome {
    /** The destination has the whole batch. */
    record Delivered() implements DeliveryOutcome {}

    /** Why one record (or a whole batch) was not delivered. */
    sealed interface Failure permits Retry, Rejected {
        String errorCode();

        String message();
    }

    /**
     * Some records were not delivered: {@code failures} maps their indexes in the batch (the order they
     * were added to its encoder) to why; every other record was delivered. The engine sends the records
     * to retry again as {@link PreparedBatch#retain}, and gives up on the rejected ones.
     */
    record Partial(SortedMap<Integer, Failure> failures) implements DeliveryOutcome {
        public Partial {
            failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
            if (failures.isEmpty() || failures.firstKey() < 0) {
                throw new IllegalArgumentException("a partial outcome names failed records by their indexes");
            }
        }
    }

    /**
     * The attempt failed and may succeed later: the engine retries with backoff until the destination's
     * retry budget is spent (then it gives up as for {@link Rejected} with {@link Disposal#ERROR_OUTPUT})
     * or, for destinations without one, until the data's retention ends. {@code errorCode} is AWS's name
     * for the failure (e.g. {@code S3.NoSuchBucket}); {@code message} goes into error documents.
     */
    record Retry(String errorCode, String message) implements DeliveryOutcome, Failure {
        public Retry {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(message, "message is null");
        }
    }

    /** The batch can never be delivered: the engine gives up on it now, disposing of it as told. */
    record Rejected(String errorCode, String message, Disposal disposal) implements DeliveryOutcome, Failure {
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
