package io.sluice.catalog;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the catalog persists streams: files of one node, or a database several nodes share. Writes are
 * durable when the call returns. Thread-safe.
 */
public interface CatalogStore {
    /** Every stream stored. */
    List<DeliveryStream> loadAll();

    /** The stream as stored now, if it is. */
    Optional<DeliveryStream> load(StreamRef ref);

    /**
     * Runs one change of a stream and stores its result, alone: no other change of the stream, by this
     * node or by another sharing the store, comes between what the change reads and what it writes.
     * {@code cached} is the caller's copy; a store only this node writes takes it as what is stored, a
     * shared store reads its own. When {@code change} returns what equals its argument, nothing is written;
     * when it throws, nothing is written and the exception propagates.
     *
     * @param change the stream now (empty: none of that name) to the stream after (empty: deleted)
     * @return the stream as stored now
     * @throws java.io.UncheckedIOException the store could not be read or written (nothing changed)
     */
    Optional<DeliveryStream> change(
            StreamRef ref, Optional<DeliveryStream> cached, UnaryOperator<Optional<DeliveryStream>> change);

    /** Tells {@code watcher} of the changes other nodes make from now on; a store of one node has none. */
    default void watch(CatalogWatcher watcher) {}
}
