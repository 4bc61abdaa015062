package io.sluice.log;

/**
 * Writing or forcing the batch failed (a full disk, an I/O error). The batch is not acknowledged;
 * the writer truncated what it had written, the log is intact and later appends may succeed.
 */
public final class LogWriteException extends LogException {
    private static final long serialVersionUID = 1L;

    LogWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
