package io.sluice.cluster.postgres;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogWatcher;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DestinationFormat;
import io.sluice.catalog.SecretSeal;
import io.sluice.catalog.StreamDocuments;
import io.sluice.catalog.StreamRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog in table {@code sluice_streams}, one row per stream holding its {@link StreamDocuments
 * document} (secrets sealed) as {@code jsonb}, shared by every node of a cluster.
 *
 * <p>{@link #change} runs in one transaction: it takes the transaction-scoped advisory lock of the
 * stream's name ({@code hashtextextended('stream <account>/<region>/<name>', 0)}, which exists even
 * before the stream's row does), reads the row, applies the change, writes or deletes the row, and
 * sends a notice on channel {@value #CHANNEL} that PostgreSQL delivers at commit. Changes of one stream
 * on any node are so serialised; a change that throws rolls back.
 *
 * <p>{@link #watch} keeps a connection of its own listening on {@value #CHANNEL}, on a thread of its
 * own, and tells the watcher of each stream another node changed. The notice's payload is
 * {@code <store id> <account> <region> <name>} (separated by single spaces, which names never hold);
 * notices this store sent itself are skipped. PostgreSQL keeps no notices for a connection that is
 * not listening, so the watcher is told to {@linkplain CatalogWatcher#resync resync} after each
 * (re)connection, and every {@code resyncInterval} as a safety net, after a query on the listening
 * connection proves it alive (a connection cut without a word would otherwise wait for notices
 * forever); a lost connection is retried every second.
 */
public final class PostgresCatalogStore implements CatalogStore, AutoCloseable {
    static final String CHANNEL = "sluice_catalog";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCatalogStore.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final int POLL_MILLIS = 250;

    private final Database database;
    private final StreamDocuments documents;
    private final Duration resyncInterval;
    private final Clock clock;
    private final String id = UUID.randomUUID().toString();
    private volatile boolean closed;
    private volatile Thread listener;

    /**
     * @param seal seals and opens the destinations' secrets (every node's seal opens what the others sealed)
     * @param resyncInterval how often a watcher re-reads every stream in case it missed a notice
     */
    public PostgresCatalogStore(
            Database database, DestinationFormat destinations, SecretSeal seal, Duration resyncInterval, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.documents = new StreamDocuments(destinations, Optional.of(requireNonNull(seal, "seal is null")));
        this.resyncInterval = requireNonNull(resyncInterval, "resyncInterval is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (resyncInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the resync interval is at least 1 s: " + resyncInterval);
        }
    }

    @Override
    public List<DeliveryStream> loadAll() {
        return database.transaction("read the catalog", connection -> {
            List<DeliveryStream> streams = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT account, region, name, document::text FROM sluice_streams")) {
                while (rows.next()) {
                    streams.add(read(rows));
                }
            }
            return streams;
        });
    }

    @Override
    public Optional<DeliveryStream> load(StreamRef ref) {
        return database.transaction("read delivery stream " + ref.arn(), connection -> select(connection, ref));
    }

    @Override
    public Optional<DeliveryStream> change(
            StreamRef ref, Optional<DeliveryStream> cached, UnaryOperator<Optional<DeliveryStream>> change) {
        return database.transaction("store delivery stream " + ref.arn(), connection -> {
            try (PreparedStatement lock =
                    connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "stream " + ref.account() + "/" + ref.region() + "/" + ref.name());
                lock.execute();
            }
            Optional<DeliveryStream> stored = select(connection, ref);
            Optional<DeliveryStream> next = change.apply(stored);
            if (next.equals(stored)) {
                return stored;
            }
            if (next.isPresent()) {
                upsert(connection, next.get());
            } else {
                delete(connection, ref);
            }
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, id + " " + ref.account() + " " + ref.region() + " " + ref.name());
                notify.execute();
            }
            return next;
        });
    }

    @Override
    public synchronized void watch(CatalogWatcher watcher) {
        requireNonNull(watcher, "watcher is null");
        if (listener != null) {
            throw new IllegalStateException("the catalog store has a watcher already");
        }
        listener = Thread.ofPlatform().name("catalog-listener").daemon().start(() -> listen(watcher));
    }

    /** Stops listening. The database is the caller's to close. */
    @Override
    public void close() {
        closed = true;
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void listen(CatalogWatcher watcher) {
        boolean healthy = true;
        while (!closed) {
            try (Connection connection = database.dedicatedConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                LOG.info("Listening for catalog changes of other nodes in {}", database.describe());
                healthy = true;
                watcher.resync();
                Instant nextResync = clock.instant().plus(resyncInterval);
                PGConnection notices = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = notices.getNotifications(POLL_MILLIS);
                    if (received != null) {
                        for (PGNotification notice : received) {
                            changed(notice.getParameter()).ifPresent(watcher::changed);
                        }
                    }
                    if (!clock.instant().isBefore(nextResync)) {
                        try (Statement probe = connection.createStatement()) {
                            probe.execute("SELECT 1");
                        }
                        watcher.resync();
                        nextResync = clock.instant().plus(resyncInterval);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (healthy) {
                    LOG.warn(
                            "Cannot listen for catalog changes of other nodes in {}; retrying every {}: {}",
                            database.describe(),
                            RECONNECT_DELAY,
                            e.toString());
                    healthy = false;
                } else {
                    LOG.debug("Could not listen for catalog changes in {}: {}", database.describe(), e.toString());
                }
                try {
                    Thread.sleep(RECONNECT_DELAY);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** The stream a notice names, unless this store sent it. */
    private Optional<StreamRef> changed(String payload) {
        String[] parts = payload.split(" ", -1);
        if (parts.length != 4) {
            LOG.warn("Ignored a catalog notice of an unknown form: {}", payload);
            return Optional.empty();
        }
        return parts[0].equals(id) ? Optional.empty() : Optional.of(new StreamRef(parts[1], parts[2], parts[3]));
    }

    private Optional<DeliveryStream> select(Connection connection, StreamRef ref) throws SQLException, IOException {
        try (PreparedStatement select = connection.prepareStatement("SELECT account, region, name, document::text"
                + " FROM sluice_streams WHERE account = ? AND region = ? AND name = ?")) {
            bind(select, ref);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    private DeliveryStream read(ResultSet row) throws SQLException, IOException {
        String where = "row " + new StreamRef(row.getString(1), row.getString(2), row.getString(3)).arn()
                + " of table sluice_streams";
        return documents.read(row.getString(4).getBytes(StandardCharsets.UTF_8), where).stream();
    }

    private void upsert(Connection connection, DeliveryStream stream) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO sluice_streams (account, region, name, uid, document) VALUES (?, ?, ?, ?, ?::jsonb)"
                        + " ON CONFLICT (account, region, name) DO UPDATE"
                        + " SET uid = excluded.uid, document = excluded.document, updated_at = now()")) {
            bind(upsert, stream.ref());
            upsert.setString(4, stream.uid());
            upsert.setString(5, new String(documents.write(stream), StandardCharsets.UTF_8));
            upsert.executeUpdate();
        }
    }

    private static void delete(Connection connection, StreamRef ref) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM sluice_streams WHERE account = ? AND region = ? AND name = ?")) {
            bind(delete, ref);
            delete.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, StreamRef ref) throws SQLException {
        statement.setString(1, ref.account());
        statement.setString(2, ref.region());
        statement.setString(3, ref.name());
    }
}
