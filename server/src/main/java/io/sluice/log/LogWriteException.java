package io.sluice.log;

/**
 * Writing the batch durably failed (a full disk, an I/O error). The batch is not acknowledged and
 * nothing of it will ever be read; the log is intact and later appends may succeed. Also thrown when a
 * commit or a deletion could not be made durable.
 */
public final class LogWriteException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
