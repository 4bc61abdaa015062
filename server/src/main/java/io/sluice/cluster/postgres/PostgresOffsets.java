package io.sluice.cluster.postgres;

import static java.util.Objects.requireNonNull;

import io.sluice.log.StreamKey;
import io.sluice.log.kafka.CommittedOffsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Committed offsets in table {@code sluice_committed_offsets}, one row per stream. A commit is one
 * upsert keeping the greater of the stored and the new offset, so two nodes briefly delivering one
 * stream never move it back.
 */
public final class PostgresOffsets implements CommittedOffsets {
    private final Database database;

    public PostgresOffsets(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public long committed(StreamKey stream) {
        return database.autocommit("read the committed offset of stream " + stream, c -> {
            try (PreparedStatement select =
                    c.prepareStatement("SELECT committed_offset FROM sluice_committed_offsets WHERE stream_key = ?")) {
                select.setString(1, stream.value());
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void commit(StreamKey stream, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("an offset is not negative: " + offset);
        }
        database.autocommit("commit offset " + offset + " of stream " + stream, c -> {
            try (PreparedStatement upsert = c.prepareStatement(
                    "INSERT INTO sluice_committed_offsets (stream_key, committed_offset) VALUES (?, ?)"
                            + " ON CONFLICT (stream_key) DO UPDATE"
                            + " SET committed_offset = excluded.committed_offset, updated_at = now()"
                            + " WHERE sluice_committed_offsets.committed_offset < excluded.committed_offset")) {
                upsert.setString(1, stream.value());
                upsert.setLong(2, offset);
                return upsert.executeUpdate();
            }
        });
    }

    @Override
    public void forget(StreamKey stream) {
        database.autocommit("forget the committed offset of stream " + stream, c -> {
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM sluice_committed_offsets WHERE stream_key = ?")) {
                delete.setString(1, stream.value());
                return delete.executeUpdate();
            }
        });
    }
}
