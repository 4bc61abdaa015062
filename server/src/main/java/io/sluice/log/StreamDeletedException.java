package io.sluice.log;

/** The stream was deleted from the log; its key is never valid again. */
public final class StreamDeletedException extends LogException {
    private static final long serialVersionUID = 1L;

    public StreamDeletedException(StreamKey stream) {
        super("Stream " + stream + " was deleted from the record log.", null);
    }
}
