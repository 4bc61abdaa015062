package io.sluice.cluster.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.crypto.MasterKey;
import io.sluice.source.Checkpoints;
import io.sluice.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Source positions and the master key's proof, shared by the nodes of one database. */
class PostgresCheckpointsIT {
    @RegisterExtension
    static final PostgresServer.PerClass POSTGRES = new PostgresServer.PerClass();

    @TempDir
    Path dir;

    private Database database;

    @BeforeEach
    void open() {
        database = TestDatabases.open(POSTGRES.server().createDatabase());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void positionsSavedByOneNodeAreWhereAnotherNodeResumes() throws IOException {
        Checkpoints saved = new PostgresCheckpoints(database).of("stream-1");
        assertThat(saved.load()).isEmpty();
        saved.save(Map.of("shardId-000000000000", "4950", "shardId-000000000001", "12"));
        saved.save(Map.of("shardId-000000000000", "4960", "shardId-000000000001", "12"));
        try (Database other = TestDatabases.open(database.describe())) {
            Checkpoints takenOver = new PostgresCheckpoints(other).of("stream-1");
            assertThat(takenOver.load())
                    .isEqualTo(Map.of("shardId-000000000000", "4960", "shardId-000000000001", "12"));
            assertThat(new PostgresCheckpoints(other).of("stream-2").load()).isEmpty();
            takenOver.delete();
        }
        assertThat(saved.load()).isEmpty();
    }

    @Test
    void whilePostgresIsDownPositionsFailAsTheyMay() throws IOException {
        Checkpoints checkpoints = new PostgresCheckpoints(database).of("stream-1");
        POSTGRES.server().stop();
        try {
            assertThatThrownBy(() -> checkpoints.save(Map.of("0", "1"))).isInstanceOf(IOException.class);
            assertThatThrownBy(checkpoints::load).isInstanceOf(IOException.class);
        } finally {
            POSTGRES.server().start();
        }
    }

    @Test
    void everyNodeMustHoldTheMasterKeyTheFirstNodeStarted() throws IOException {
        SecureRandom random = new SecureRandom();
        MasterKey first = MasterKey.openOrCreate(dir.resolve("first"), random);
        MasterKeyCheck.require(database, first, "first");
        MasterKeyCheck.require(database, MasterKey.openOrCreate(dir.resolve("first"), random), "first again");
        MasterKey other = MasterKey.openOrCreate(dir.resolve("other"), random);
        assertThatThrownBy(() -> MasterKeyCheck.require(database, other, "other"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the master key in other is not the one the cluster's other nodes use");
    }
}
