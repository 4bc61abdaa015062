-- How far each stream's source reader has read (Kinesis sequence numbers by shard, Kafka offsets by
-- partition): the positions of io.sluice.source.Checkpoints as one JSON object, replaced whole.
CREATE TABLE sluice_source_positions (
    stream_uid text PRIMARY KEY,
    positions jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
