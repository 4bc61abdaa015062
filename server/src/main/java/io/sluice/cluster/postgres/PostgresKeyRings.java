package io.sluice.cluster.postgres;

import static java.util.Objects.requireNonNull;

import io.sluice.ingest.crypto.KeyRingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Key rings in table {@code sluice_key_rings}, one row per stream, shared by every node. A replace is
 * one conditional statement: an insert that does nothing when a ring is there already, or an update
 * of the row whose ring is still the one expected; so of two nodes making a stream's key at once, one
 * stores its ring and the other reads that one again.
 */
public final class PostgresKeyRings implements KeyRingStore {
    private final Database database;

    public PostgresKeyRings(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public Optional<byte[]> read(String streamUid) throws IOException {
        return run(() -> database.autocommit("read " + describe(streamUid), c -> {
            try (PreparedStatement select =
                    c.prepareStatement("SELECT ring FROM sluice_key_rings WHERE stream_uid = ?")) {
                select.setString(1, streamUid);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
                }
            }
        }));
    }

    @Override
    public boolean replace(String streamUid, Optional<byte[]> expected, byte[] ring) throws IOException {
        requireNonNull(ring, "ring is null");
        String what = "store " + describe(streamUid);
        return run(() -> database.autocommit(what, c -> {
            String sql = expected.isEmpty()
                    ? "INSERT INTO sluice_key_rings (ring, stream_uid) VALUES (?, ?) ON CONFLICT (stream_uid) DO NOTHING"
                    : "UPDATE sluice_key_rings SET ring = ?, updated_at = now() WHERE stream_uid = ? AND ring = ?";
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setBytes(1, ring);
                statement.setString(2, streamUid);
                if (expected.isPresent()) {
                    statement.setBytes(3, expected.get());
                }
                return statement.executeUpdate() == 1;
            }
        }));
    }

    @Override
    public void delete(String streamUid) throws IOException {
        String what = "delete " + describe(streamUid);
        run(() -> database.autocommit(what, c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM sluice_key_rings WHERE stream_uid = ?")) {
                delete.setString(1, streamUid);
                return delete.executeUpdate();
            }
        }));
    }

    @Override
    public String describe(String streamUid) {
        return "the key ring of stream " + streamUid + " in table sluice_key_rings";
    }

    private interface Call<T> {
        T call();
    }

    /** The port reports failures as checked {@link IOException}s. */
    private static <T> T run(Call<T> call) throws IOException {
        try {
            return call.call();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
