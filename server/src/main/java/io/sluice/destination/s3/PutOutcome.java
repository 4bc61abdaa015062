package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;

/**
 * What became of one {@link PutObject}. Failures carry an error code in Firehose's style
 * ({@code S3.NoSuchBucket}, {@code S3.AccessDenied}, ...) for logs and error documents, and a message.
 *
 * <p>Firehose retries S3 failures until they succeed or the data's retention ends (delivery spec
 * §4.7.2), so almost every failure is a {@link RetryableFailure}: a missing bucket, a denied access or
 * a wrong secret can be fixed by an operator while the data waits. A {@link PermanentFailure} is one
 * that retrying the same request can never fix, such as a key the store cannot represent.
 */
public sealed interface PutOutcome permits PutOutcome.Stored, PutOutcome.Failure {

    /** The object is stored whole and visible to readers. */
    record Stored(String bucket, String key, DataSize size) implements PutOutcome {
        public Stored {
            requireNonNull(bucket, "bucket is null");
            requireNonNull(key, "key is null");
            requireNonNull(size, "size is null");
        }
    }

    /** Nothing is stored (no partial object is visible). */
    sealed interface Failure extends PutOutcome permits RetryableFailure, PermanentFailure {
        String errorCode();

        String message();
    }

    /** Worth trying again later, with backoff. */
    record RetryableFailure(String errorCode, String message) implements Failure {
        public RetryableFailure {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(message, "message is null");
        }
    }

    /** The same request will fail the same way every time. */
    record PermanentFailure(String errorCode, String message) implements Failure {
        public PermanentFailure {
            requireNonNull(errorCode, "errorCode is null");
            requireNonNull(message, "message is null");
        }
    }
}
