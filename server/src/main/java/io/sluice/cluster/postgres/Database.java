package io.sluice.cluster.postgres;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL database the nodes of a cluster share: a small pool of connections (HikariCP) with
 * timeouts short enough that a database that is down or unreachable answers with an error within
 * seconds, never a hang. Opening it brings the schema up to date ({@link Schema}). Every failure to
 * reach or use the database is an {@link UncheckedIOException} naming what could not be done, which the
 * catalog and the API answer as a service unavailable. Thread-safe.
 */
public final class Database implements AutoCloseable {
    /**
     * How to reach the database. The tables are created in the connection's current schema (set
     * {@code currentSchema} in the URL to use another than {@code public}).
     *
     * @param jdbcUrl {@code jdbc:postgresql://host:port/database}, with any driver parameters
     * @param poolSize connections kept at most (a LISTEN connection for the catalog comes on top)
     * @param connectTimeout how long connecting, or waiting for a free connection of the pool, may take
     * @param statementTimeout how long one statement may run (and wait for a lock) before it fails
     */
    public record Settings(
            String jdbcUrl,
            String user,
            Optional<String> password,
            int poolSize,
            Duration connectTimeout,
            Duration statementTimeout) {
        public Settings {
            requireNonNull(jdbcUrl, "jdbcUrl is null");
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
            requireNonNull(connectTimeout, "connectTimeout is null");
            requireNonNull(statementTimeout, "statementTimeout is null");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql: " + jdbcUrl);
            }
            if (poolSize < 1 || poolSize > 1_000) {
                throw new IllegalArgumentException("the pool size is between 1 and 1000: " + poolSize);
            }
            if (connectTimeout.compareTo(Duration.ofSeconds(1)) < 0
                    || connectTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("the connect timeout is between 1 s and 1 min: " + connectTimeout);
            }
            if (statementTimeout.compareTo(Duration.ofSeconds(1)) < 0
                    || statementTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException(
                        "the statement timeout is between 1 s and 10 min: " + statementTimeout);
            }
        }

        /** Ten connections, connecting within 5 s, statements within 10 s. */
        public static Settings of(String jdbcUrl, String user, Optional<String> password) {
            return new Settings(jdbcUrl, user, password, 10, Duration.ofSeconds(5), Duration.ofSeconds(10));
        }

        @Override
        public String toString() {
            return "Settings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", poolSize=" + poolSize + ", connectTimeout="
                    + connectTimeout + ", statementTimeout=" + statementTimeout + "]";
        }

        /** The driver's properties: credentials, timeouts (whole seconds, rounded up), the statement timeout. */
        Properties driverProperties() {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            password.ifPresent(p -> properties.setProperty("password", p));
            long connectSeconds = seconds(connectTimeout);
            properties.setProperty("connectTimeout", Long.toString(connectSeconds));
            properties.setProperty("loginTimeout", Long.toString(connectSeconds));
            // The socket gives up a little after the server would have cancelled the statement itself.
            properties.setProperty("socketTimeout", Long.toString(seconds(statementTimeout) + connectSeconds));
            properties.setProperty("tcpKeepAlive", "true");
            properties.setProperty("ApplicationName", "sluice");
            properties.setProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
            return properties;
        }

        private static long seconds(Duration duration) {
            return (duration.toMillis() + 999) / 1_000;
        }
    }

    /** Work on one connection; what it throws is mapped by the caller. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException, IOException;
    }

    private final Settings settings;
    private final HikariDataSource pool;

    private Database(Settings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /**
     * Connects and brings the schema up to date.
     *
     * @throws UncheckedIOException the database cannot be reached, or the schema cannot be updated
     */
    public static Database open(Settings settings) {
        requireNonNull(settings, "settings is null");
        HikariConfig config = new HikariConfig();
        config.setPoolName("sluice-postgresql");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setDataSourceProperties(settings.driverProperties());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setValidationTimeout(settings.connectTimeout().toMillis() / 2);
        config.setInitializationFailTimeout(settings.connectTimeout().toMillis());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw unavailable("cannot connect to PostgreSQL at " + settings.jdbcUrl() + ": " + message(e), e);
        }
        Database database = new Database(settings, pool);
        try {
            Schema.update(database);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return database;
    }

    /**
     * Runs {@code work} in one transaction, committed when it returns and rolled back when it throws.
     *
     * @param what names the work in failures ("store delivery stream x")
     * @throws UncheckedIOException the database failed (nothing of the work is stored)
     */
    <T> T transaction(String what, Work<T> work) {
        return run(what, true, work);
    }

    /** Runs {@code work} with every statement committed on its own. */
    <T> T autocommit(String what, Work<T> work) {
        return run(what, false, work);
    }

    private <T> T run(String what, boolean transaction, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            if (!transaction) {
                return work.run(connection);
            }
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot " + what + " in PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * A connection of its own, outside the pool (a LISTEN connection), with the pool's timeouts; the
     * caller closes it.
     */
    Connection dedicatedConnection() throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.driverProperties());
    }

    /** Where the database is, for messages. */
    public String describe() {
        return settings.jdbcUrl();
    }

    /** The failure to report when {@code what} failed with {@code e}. */
    UncheckedIOException failure(String what, SQLException e) {
        return unavailable("cannot " + what + ": PostgreSQL at " + settings.jdbcUrl() + " failed: " + message(e), e);
    }

    /** Both the unchecked failure and its cause say what failed (key ring stores report the cause). */
    private static UncheckedIOException unavailable(String message, Exception e) {
        return new UncheckedIOException(message, new IOException(message, e));
    }

    private static String message(Exception e) {
        return String.valueOf(e.getMessage());
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
