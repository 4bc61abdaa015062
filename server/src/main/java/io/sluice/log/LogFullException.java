package io.sluice.log;

/**
 * The append would take the log past its disk budget; nothing was written. Appends succeed again
 * once commits or retention free segments.
 */
public final class LogFullException extends LogException {
    private static final long serialVersionUID = 1L;

    LogFullException(String message) {
        super(message, null);
    }
}
