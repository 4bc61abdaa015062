package io.sluice.log;

/**
 * A reader found data that does not match its checksum or layout (damage after recovery checked
 * it). The message names the file and position.
 */
public final class LogCorruptException extends LogException {
    private static final long serialVersionUID = 1L;

    LogCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
