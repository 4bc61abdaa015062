/**
 * Cluster mode's shared state in PostgreSQL: the catalog, the data key rings, the Kafka log's committed
 * offsets and the delivery leases, behind the ports {@link io.sluice.catalog.CatalogStore}, {@link
 * io.sluice.ingest.crypto.KeyRingStore}, {@link io.sluice.log.kafka.CommittedOffsets} and {@link
 * io.sluice.catalog.StreamOwnership}. Every node opens one {@link io.sluice.cluster.postgres.Database}
 * on the same database; its failures are {@link java.io.UncheckedIOException}s (checked {@code
 * IOException}s through the key ring port) naming what could not be done and where.
 *
 * <p>Tables (in the connection's current schema; {@code Schema} creates them from the scripts under
 * {@code schema/}, recording each in {@code sluice_schema_version}):
 *
 * <pre>
 * sluice_streams           (account, region, name) primary key, uid unique, document jsonb, updated_at
 * sluice_key_rings         stream_uid primary key, ring bytea, updated_at
 * sluice_committed_offsets stream_key primary key, committed_offset bigint (&gt;= 0), updated_at
 * sluice_nodes             node_id primary key, expires_at            (heartbeats)
 * sluice_leases            stream_uid primary key, node_id, expires_at
 * </pre>
 *
 * <p>A stream's document is the one {@link io.sluice.catalog.StreamDocuments} writes, its destination's
 * secrets sealed: every node needs the same master key to open them, and to unwrap the key rings.
 * Catalog changes are announced on channel {@code sluice_catalog} (see {@link
 * io.sluice.cluster.postgres.PostgresCatalogStore}); lease rounds are described in {@link
 * io.sluice.cluster.postgres.PostgresLeases}.
 */
package io.sluice.cluster.postgres;
