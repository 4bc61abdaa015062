package io.sluice.ingest.crypto;

/**
 * A key file is damaged, has wrong permissions, or does not belong to this master key: the keys in it
 * cannot be used. Not retryable; an operator has to restore the file.
 */
public final class KeyFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyFileException(String message) {
        super(message);
    }

    KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
