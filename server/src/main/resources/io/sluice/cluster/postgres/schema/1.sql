-- Sluice's cluster state (io.sluice.cluster.postgres). Released: never edit; add 2.sql instead.

-- Each delivery stream as its document (io.sluice.catalog.StreamDocuments, secrets sealed).
CREATE TABLE sluice_streams (
    account text NOT NULL,
    region text NOT NULL,
    name text NOT NULL,
    uid text NOT NULL UNIQUE,
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account, region, name)
);

-- Each stream's data key ring, wrapped by the master key (io.sluice.ingest.crypto).
CREATE TABLE sluice_key_rings (
    stream_uid text PRIMARY KEY,
    ring bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- How far each stream's records in the Kafka log are delivered.
CREATE TABLE sluice_committed_offsets (
    stream_key text PRIMARY KEY,
    committed_offset bigint NOT NULL CHECK (committed_offset >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The nodes alive: each renews its row; a node whose row expired is gone.
CREATE TABLE sluice_nodes (
    node_id text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

-- Which node delivers which stream, until when.
CREATE TABLE sluice_leases (
    stream_uid text PRIMARY KEY,
    node_id text NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sluice_leases_node ON sluice_leases (node_id);
