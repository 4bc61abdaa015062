package io.sluice.cluster.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.log.StreamKey;
import io.sluice.testing.PostgresServer;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresOffsetsIT {
    @RegisterExtension
    static final PostgresServer.PerClass POSTGRES = new PostgresServer.PerClass();

    private final StreamKey stream = new StreamKey("stream-a");
    private final StreamKey other = new StreamKey("stream-b");
    private Database database;
    private PostgresOffsets offsets;

    @BeforeEach
    void open() {
        database = TestDatabases.open(POSTGRES.server().createDatabase());
        offsets = new PostgresOffsets(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aStreamWithoutCommitsIsAtZero() {
        assertThat(offsets.committed(stream)).isZero();
    }

    @Test
    void commitsOnlyRaiseTheOffset() {
        offsets.commit(stream, 10);
        offsets.commit(stream, 7);
        assertThat(offsets.committed(stream)).isEqualTo(10);
        offsets.commit(stream, 12);
        assertThat(offsets.committed(stream)).isEqualTo(12);
        assertThat(offsets.committed(other)).isZero();
    }

    @Test
    void anotherNodeSeesTheCommittedOffset() {
        offsets.commit(stream, 42);
        try (Database second = TestDatabases.open(database.describe())) {
            assertThat(new PostgresOffsets(second).committed(stream)).isEqualTo(42);
        }
    }

    @Test
    void forgetsADeletedStreamsOffsetOnly() {
        offsets.commit(stream, 5);
        offsets.commit(other, 6);
        offsets.forget(stream);
        assertThat(offsets.committed(stream)).isZero();
        assertThat(offsets.committed(other)).isEqualTo(6);
        offsets.forget(stream);
    }

    @Test
    void refusesANegativeOffset() {
        assertThatThrownBy(() -> offsets.commit(stream, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodesStartingTogetherApplyTheSchemaOnce() throws Exception {
        String url = POSTGRES.server().createDatabase();
        List<Thread> nodes = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(Thread.ofPlatform().start(() -> {
                try (Database node = TestDatabases.open(url)) {
                    new PostgresOffsets(node).commit(stream, 1);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread node : nodes) {
            node.join();
        }
        assertThat(failures).isEmpty();
        try (Connection connection = POSTGRES.server().connect(url.substring(url.lastIndexOf('/') + 1));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version FROM sluice_schema_version ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(rows.getInt(1));
            }
            assertThat(versions).containsExactly(1, 2);
        }
    }

    @Test
    void aNodeCannotOpenTheDatabaseWhilePostgresIsDown() throws Exception {
        String url = POSTGRES.server().createDatabase();
        POSTGRES.server().stop();
        try {
            assertThatThrownBy(() -> TestDatabases.open(url).close())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot connect to PostgreSQL at " + url);
        } finally {
            POSTGRES.server().start();
        }
    }

    @Test
    void failsWithinSecondsWhilePostgresIsDown() throws Exception {
        offsets.commit(stream, 3);
        POSTGRES.server().stop();
        try {
            assertThatThrownBy(() -> offsets.commit(stream, 4))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("commit offset 4 of stream stream-a")
                    .hasMessageContaining(database.describe());
        } finally {
            POSTGRES.server().start();
        }
        offsets.commit(stream, 4);
        assertThat(offsets.committed(stream)).isEqualTo(4);
    }
}
