package io.sluice.log.journal;

/** A frame that does not decode: torn, damaged or not a frame. Internal; carries no stack trace. */
final class BadFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    BadFrameException(String message) {
        super(message, null, false, false);
    }
}
