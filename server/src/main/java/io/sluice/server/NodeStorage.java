package io.sluice.server;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.DestinationFormat;
import io.sluice.catalog.SecretSeal;
import io.sluice.catalog.StreamOwnership;
import io.sluice.ingest.crypto.KeyRingStore;
import io.sluice.ingest.crypto.MasterKey;
import io.sluice.log.RecordLog;
import io.sluice.source.Checkpoints;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a node keeps what outlives it: the record log, the catalog, the data keys, the sources' positions,
 * and which streams it delivers. {@link LocalStorage}: a node of its own, everything in its data directory.
 * {@link ClusterStorage}: the log in Kafka, the rest in PostgreSQL, shared by every node.
 */
interface NodeStorage extends AutoCloseable {
    RecordLog log();

    /** Wraps the data keys and seals the catalog's secrets: the same on every node of a cluster. */
    MasterKey masterKey();

    KeyRingStore keyRings();

    CatalogStore catalog(DestinationFormat destinations, SecretSeal seal);

    /** Each stream's (by uid) source positions. */
    Function<String, Checkpoints> checkpoints();

    /**
     * Which streams this node delivers, from now on telling {@code listener} of the streams it gains and
     * loses; {@code streams} gives the uids of the streams to share out (asked later, from the ownership's
     * own thread).
     */
    StreamOwnership ownership(Supplier<Collection<String>> streams, StreamOwnership.Listener listener);

    /** What the node runs every minute (the journal's retention). */
    void maintain();

    /** Releases everything; the node's last step. */
    @Override
    void close();
}
