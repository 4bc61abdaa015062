package io.sluice.ingest.crypto;

/**
 * A record stored encrypted cannot be decrypted: its data key is missing or unusable, or the record
 * is damaged (authentication failed). Never retryable by reading again.
 */
public final class UnreadableRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
