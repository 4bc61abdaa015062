package io.sluice.cluster.postgres;

import io.sluice.ingest.crypto.MasterKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Every node of a cluster must hold the same master key: it opens the catalog's sealed secrets and the
 * data keys every node stores. The first node to start stores a {@linkplain MasterKey#proof proof} of its
 * key in table {@code sluice_master_key}; every node checks it at start.
 */
public final class MasterKeyCheck {
    private MasterKeyCheck() {}

    /**
     * Stores this node's proof if the cluster has none, then checks the cluster's.
     *
     * @param where names the key in the failure (its directory)
     * @throws IllegalStateException this node's master key is not the cluster's
     * @throws java.io.UncheckedIOException the database failed
     */
    public static void require(Database database, MasterKey master, String where) {
        byte[] proof = master.proof();
        byte[] stored = database.transaction("check the cluster's master key", c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO sluice_master_key (id, proof) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
                insert.setBytes(1, proof);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT proof FROM sluice_master_key WHERE id = 1");
                    ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getBytes(1);
            }
        });
        if (!master.opens(stored)) {
            throw new IllegalStateException("the master key in " + where + " is not the one the cluster's other nodes"
                    + " use (" + database.describe() + "): give this node a copy of theirs");
        }
    }
}
