package io.sluice.log;

/** The log is closed (the server is stopping); the operation was not done. */
public final class LogClosedException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogClosedException() {
        super("The record log is closed.", null);
    }
}
