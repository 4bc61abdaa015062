package io.sluice.log;

/**
 * A reader found data that does not match its checksum or layout (damage after the log last checked
 * it). The message says where (the local journal: the file and position).
 */
public final class LogCorruptException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
