package io.sluice.destination.s3;

/**
 * An evaluated {@code Prefix} or {@code ErrorOutputPrefix} longer than {@link ObjectKeys#MAX_PREFIX_LENGTH}
 * characters (delivery spec §4.2.9). No object is named: the prefix is never cut, because a shortened
 * prefix would put the data where no reader looks for it. Its {@link #errorCode()} is the code to log
 * and to retry with, like any other S3 delivery failure; an {@code UpdateDestination} with a shorter
 * prefix ends it.
 */
public final class PrefixTooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The code logged for this failure. */
    public static final String ERROR_CODE = "S3.PrefixTooLong";

    private final int length;

    PrefixTooLongException(String which, int length) {
        super(which + " evaluates to " + length + " characters; at most " + ObjectKeys.MAX_PREFIX_LENGTH
                + " are allowed.");
        this.length = length;
    }

    /** The length of the evaluated prefix. */
    public int length() {
        return length;
    }

    public String errorCode() {
        return ERROR_CODE;
    }
}
