package io.sluice.cluster.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database's tables up to date: the scripts {@code schema/1.sql}, {@code schema/2.sql}, …
 * (resources beside this class, numbered without gaps) are each applied once, in order, recorded in
 * {@code sluice_schema_version}. All of it runs in one transaction under an advisory lock, so nodes
 * starting together migrate once (the others wait, then find it done), and a failed script leaves
 * nothing half applied. Scripts are never edited once released: a change is a new script.
 */
final class Schema {
    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);
    private static final String LOCK = "sluice schema";

    private Schema() {}

    static void update(Database database) {
        database.transaction("update the schema", Schema::update);
    }

    private static int update(Connection connection) throws SQLException, IOException {
        try (PreparedStatement lock =
                connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            lock.setString(1, LOCK);
            lock.execute();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS sluice_schema_version ("
                    + "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        }
        int current;
        try (Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT coalesce(max(version), 0) FROM sluice_schema_version")) {
            rows.next();
            current = rows.getInt(1);
        }
        int version = current;
        while (true) {
            String script;
            try (InputStream in = Schema.class.getResourceAsStream("schema/" + (version + 1) + ".sql")) {
                if (in == null) {
                    break;
                }
                script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            version++;
            try (Statement statement = connection.createStatement()) {
                statement.execute(script);
            }
            try (PreparedStatement record =
                    connection.prepareStatement("INSERT INTO sluice_schema_version (version) VALUES (?)")) {
                record.setInt(1, version);
                record.executeUpdate();
            }
            LOG.info("Applied schema version {} to the PostgreSQL database", version);
        }
        return version;
    }
}
