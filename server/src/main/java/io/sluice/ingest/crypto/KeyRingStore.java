package io.sluice.ingest.crypto;

import java.io.IOException;
import java.util.Optional;

/**
 * Where {@link DataKeys} keeps each stream's key ring, wrapped by the master key (the bytes of the layout
 * in the package documentation): a file per stream on one node, a table row every node of a cluster
 * shares. Thread-safe.
 */
public interface KeyRingStore {
    /** The stream's ring as stored, if it has one. */
    Optional<byte[]> read(String streamUid) throws IOException;

    /**
     * Stores the stream's ring, durable when it returns, if what is stored is still {@code expected}
     * (empty: nothing); a store only one node writes may take that as given.
     *
     * @return false if another node stored a ring in between (read it again)
     */
    boolean replace(String streamUid, Optional<byte[]> expected, byte[] ring) throws IOException;

    /** Deletes the stream's ring; deleting none does nothing. */
    void delete(String streamUid) throws IOException;

    /** Names the stream's ring in messages: a file, a row. */
    String describe(String streamUid);
}
