package io.sluice.log;

/**
 * Every way a log operation can fail for reasons other than a programming error (those throw
 * {@link IllegalArgumentException} or {@link IllegalStateException}), whichever log implements the
 * operation: callers act on the subclass, never on the implementation. The API maps {@link
 * LogFullException}, {@link LogWriteException} and {@link LogClosedException} to
 * ServiceUnavailableException (HTTP 503): the client may retry.
 */
public abstract sealed class LogException extends RuntimeException
        permits LogFullException, LogWriteException, LogClosedException, StreamDeletedException, LogCorruptException {
    private static final long serialVersionUID = 1L;

    LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
