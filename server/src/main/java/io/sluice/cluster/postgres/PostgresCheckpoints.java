package io.sluice.cluster.postgres;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.source.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * Source positions in table {@code sluice_source_positions}, one row per stream holding its positions as
 * one JSON object, so a node taking a Kinesis- or MSK-sourced stream over reads on where the last owner
 * saved. Failures are {@link IOException}s naming the stream, as the port has them.
 */
public final class PostgresCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Database database;

    public PostgresCheckpoints(Database database) {
        this.database = requireNonNull(database, "database is null");
    }

    /** The positions of the stream with this uid. */
    public Checkpoints of(String streamUid) {
        requireNonNull(streamUid, "streamUid is null");
        return new Checkpoints() {
            @Override
            public Map<String, String> load() throws IOException {
                String json = call(() -> database.autocommit("read the source positions of stream " + streamUid, c -> {
                    try (PreparedStatement select = c.prepareStatement(
                            "SELECT positions::text FROM sluice_source_positions WHERE stream_uid = ?")) {
                        select.setString(1, streamUid);
                        try (ResultSet rows = select.executeQuery()) {
                            return rows.next() ? rows.getString(1) : "{}";
                        }
                    }
                }));
                Map<String, String> positions = new TreeMap<>();
                JSON.readTree(json)
                        .properties()
                        .forEach(e -> positions.put(e.getKey(), e.getValue().asText()));
                return positions;
            }

            @Override
            public void save(Map<String, String> positions) throws IOException {
                ObjectNode node = JSON.createObjectNode();
                new TreeMap<>(positions).forEach(node::put);
                String json = JSON.writeValueAsString(node);
                call(() -> database.autocommit("save the source positions of stream " + streamUid, c -> {
                    try (PreparedStatement upsert = c.prepareStatement(
                            "INSERT INTO sluice_source_positions (stream_uid, positions) VALUES (?, ?::jsonb)"
                                    + " ON CONFLICT (stream_uid) DO UPDATE"
                                    + " SET positions = excluded.positions, updated_at = now()")) {
                        upsert.setString(1, streamUid);
                        upsert.setString(2, json);
                        return upsert.executeUpdate();
                    }
                }));
            }

            @Override
            public void delete() throws IOException {
                call(() -> database.autocommit("delete the source positions of stream " + streamUid, c -> {
                    try (PreparedStatement delete =
                            c.prepareStatement("DELETE FROM sluice_source_positions WHERE stream_uid = ?")) {
                        delete.setString(1, streamUid);
                        return delete.executeUpdate();
                    }
                }));
            }
        };
    }

    private interface Call<T> {
        T run();
    }

    /** The database's failure as the IOException the port declares. */
    private static <T> T call(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
