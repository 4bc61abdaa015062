package io.sluice.cluster.postgres;

import io.sluice.testing.PostgresServer;
import java.time.Duration;
import java.util.Optional;

/** Databases of a test's PostgreSQL server, with timeouts short enough for tests of it being down. */
final class TestDatabases {
    private TestDatabases() {}

    static Database open(String url) {
        return Database.open(settings(url));
    }

    static Database.Settings settings(String url) {
        return new Database.Settings(
                url, PostgresServer.USER, Optional.empty(), 4, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
}
