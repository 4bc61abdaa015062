package io.sluice.log;

/**
 * The log has no room for the append (the local journal: its disk budget is used up); nothing was
 * written. Appends succeed again once commits or retention free space.
 */
public final class LogFullException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogFullException(String message) {
        super(message, null);
    }
}
