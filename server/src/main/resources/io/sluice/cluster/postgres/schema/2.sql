-- How far each stream's source reader has read (Kinesis sequence numbers by shard, Kafka offsets by
-- partition): the positions of io.sluice.source.Checkpoints as one JSON object, replaced whole.
CREATE TABLE sluice_source_positions (
    stream_uid text PRIMARY KEY,
    positions jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Proof of the cluster's master key (io.sluice.ingest.crypto.MasterKey#proof): stored by the first node,
-- checked by every node at start, so a node with another master key refuses to start.
CREATE TABLE sluice_master_key (
    id smallint PRIMARY KEY CHECK (id = 1),
    proof bytea NOT NULL
);
