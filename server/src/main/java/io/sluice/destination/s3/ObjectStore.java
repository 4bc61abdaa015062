package io.sluice.destination.s3;

/**
 * Where S3 objects are written: a real S3-compatible service ({@code SdkObjectStore}) or the local
 * data directory ({@code LocalObjectStore}). Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Stores one object whole, replacing any object under the same key, or nothing at all. Never
     * throws for a failure of the store, the network or the content: those are {@link PutOutcome.Failure}s.
     */
    PutOutcome put(PutObject request);

    /** Releases connections; a put after close throws {@link IllegalStateException}. */
    @Override
    void close();
}
