package io.sluice.cluster.postgres;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.StreamOwnership;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which streams this node delivers, by leases in table {@code sluice_leases} that every node shares,
 * spread evenly over the nodes alive. Every third of the lease duration, on the scheduler, this node:
 *
 * <ol>
 *   <li>renews its heartbeat in {@code sluice_nodes} (expiring a lease duration later) and deletes the
 *       expired heartbeats; the nodes alive are those whose heartbeat has not expired;
 *   <li>deletes its leases of streams no longer to spread (the supplier's, the catalog's ACTIVE streams),
 *       and expired leases of such streams;
 *   <li>renews its leases (expiring a lease duration later); those it finds taken by another node, which
 *       claimed them after they expired, are lost;
 *   <li>computes its fair share, {@code ceil(streams / nodes alive)}, and releases leases above it, in
 *       random order, for other nodes to claim;
 *   <li>below its share, claims free or expired leases in random order, each with one conditional upsert
 *       that only takes a lease whose {@code expires_at} has passed, until it holds its share.
 * </ol>
 *
 * Expiry is decided by the database's clock ({@code now()}), never a node's. The listeners are told of
 * the streams lost, then of those gained. When a round fails (the database is down or unreachable) the
 * node keeps its leases while they can still be valid; once the last successful renewal started more than
 * a lease duration ago it treats every lease as lost (other nodes may have claimed them), and {@link
 * #owns} answers false from then on without waiting for the next round. {@link #close} releases this
 * node's leases and heartbeat, so that other nodes take its streams at their next round.
 */
public final class PostgresLeases implements StreamOwnership, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLeases.class);

    private final Database database;
    private final String nodeId;
    private final Duration leaseDuration;
    private final Supplier<? extends Collection<String>> streams;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final RandomGenerator random;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Set<String> owned = Set.of();
    private volatile Instant validUntil = Instant.MIN;
    private boolean failing;
    private boolean closed;
    private ScheduledFuture<?> rounds;

    /**
     * @param nodeId this node's id, unique in the cluster (at most 200 characters)
     * @param leaseDuration how long a lease lasts unless renewed (at least 1 s); renewed every third of it
     * @param streams the uids of the streams to spread (the catalog's ACTIVE streams), asked each round
     * @param clock measures how long ago the last renewal was (expiry itself is the database's)
     * @param scheduler runs the rounds; {@link #start} schedules them
     */
    public PostgresLeases(
            Database database,
            String nodeId,
            Duration leaseDuration,
            Supplier<? extends Collection<String>> streams,
            Clock clock,
            ScheduledExecutorService scheduler,
            RandomGenerator random) {
        this.database = requireNonNull(database, "database is null");
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.leaseDuration = requireNonNull(leaseDuration, "leaseDuration is null");
        this.streams = requireNonNull(streams, "streams is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.random = requireNonNull(random, "random is null");
        if (nodeId.isEmpty() || nodeId.length() > 200) {
            throw new IllegalArgumentException("a node id has 1 to 200 characters: " + nodeId);
        }
        if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a lease lasts at least 1 s: " + leaseDuration);
        }
    }

    /** Starts the rounds, the first at once; call after {@link #watch}ing. */
    public synchronized void start() {
        if (rounds != null || closed) {
            throw new IllegalStateException("the leases of node " + nodeId + " are started or closed");
        }
        long period = leaseDuration.toNanos() / 3;
        rounds = scheduler.scheduleWithFixedDelay(this::round, 0, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean owns(String streamUid) {
        return owned.contains(streamUid) && clock.instant().isBefore(validUntil);
    }

    @Override
    public void watch(Listener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** The streams this node holds leases on now. */
    public Set<String> owned() {
        return clock.instant().isBefore(validUntil) ? owned : Set.of();
    }

    /** One round; never throws (a scheduled task that throws is never run again). */
    private synchronized void round() {
        if (closed) {
            return;
        }
        Instant started = clock.instant();
        try {
            Set<String> held = database.autocommit("renew the delivery leases of node " + nodeId, this::renew);
            validUntil = started.plus(leaseDuration);
            if (failing) {
                LOG.info("Renewed the delivery leases of node {} again", nodeId);
                failing = false;
            }
            become(held);
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("Could not renew the delivery leases of node {}: {}", nodeId, e.toString());
                failing = true;
            }
            if (!owned.isEmpty() && !clock.instant().isBefore(validUntil)) {
                LOG.error(
                        "Node {} stops delivering its {} streams: its leases could not be renewed for {}",
                        nodeId,
                        owned.size(),
                        leaseDuration);
                become(Set.of());
            }
        }
    }

    /** Renews this node's heartbeat and leases and claims or releases leases to hold its share. */
    private Set<String> renew(Connection connection) throws SQLException {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(streams.get()));
        Array all = connection.createArrayOf("text", wanted.toArray());
        long millis = leaseDuration.toMillis();
        update(
                connection,
                "INSERT INTO sluice_nodes (node_id, expires_at) VALUES (?, now() + ? * interval '1 millisecond')"
                        + " ON CONFLICT (node_id) DO UPDATE SET expires_at = excluded.expires_at",
                nodeId,
                millis);
        update(connection, "DELETE FROM sluice_nodes WHERE expires_at < now()");
        long live = Math.max(1, count(connection));
        update(
                connection,
                "DELETE FROM sluice_leases WHERE (node_id = ? OR expires_at < now()) AND NOT (stream_uid = ANY (?))",
                nodeId,
                all);
        Set<String> held = strings(
                connection,
                "UPDATE sluice_leases SET expires_at = now() + ? * interval '1 millisecond' WHERE node_id = ?"
                        + " RETURNING stream_uid",
                millis,
                nodeId);
        long share = (wanted.size() + live - 1) / live;
        if (held.size() > share) {
            List<String> release = new ArrayList<>(held);
            Collections.shuffle(release, random);
            release = release.subList(0, (int) (held.size() - share));
            update(
                    connection,
                    "DELETE FROM sluice_leases WHERE node_id = ? AND stream_uid = ANY (?)",
                    nodeId,
                    connection.createArrayOf("text", release.toArray()));
            release.forEach(held::remove);
        } else if (held.size() < share) {
            List<String> free = new ArrayList<>(strings(
                    connection,
                    "SELECT u FROM unnest(?::text[]) AS u WHERE NOT EXISTS"
                            + " (SELECT 1 FROM sluice_leases l WHERE l.stream_uid = u AND l.expires_at >= now())",
                    all));
            Collections.shuffle(free, random);
            for (String uid : free) {
                if (held.size() >= share) {
                    break;
                }
                int claimed = update(
                        connection,
                        "INSERT INTO sluice_leases (stream_uid, node_id, expires_at)"
                                + " VALUES (?, ?, now() + ? * interval '1 millisecond')"
                                + " ON CONFLICT (stream_uid) DO UPDATE"
                                + " SET node_id = excluded.node_id, expires_at = excluded.expires_at"
                                + " WHERE sluice_leases.expires_at < now()",
                        uid,
                        nodeId,
                        millis);
                if (claimed == 1) {
                    held.add(uid);
                }
            }
        }
        return held;
    }

    /** Makes {@code held} the streams owned and tells the listeners what changed, losses first. */
    private void become(Set<String> held) {
        Set<String> before = owned;
        owned = Set.copyOf(held);
        before.stream().filter(uid -> !held.contains(uid)).forEach(uid -> tell(l -> l.lost(uid), "lost", uid));
        held.stream().filter(uid -> !before.contains(uid)).forEach(uid -> tell(l -> l.gained(uid), "gained", uid));
    }

    private void tell(Consumer<Listener> call, String what, String uid) {
        LOG.info("Node {} {} the lease of stream {}", nodeId, what, uid);
        for (Listener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("A lease listener failed on stream {} {}", uid, what, e);
            }
        }
    }

    /**
     * Stops the rounds, tells the listeners every stream is lost, and deletes this node's leases and
     * heartbeat, so that the other nodes take its streams at once rather than after they expire.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (rounds != null) {
            rounds.cancel(false);
        }
        become(Set.of());
        validUntil = Instant.MIN;
        try {
            database.autocommit("release the delivery leases of node " + nodeId, connection -> {
                update(connection, "DELETE FROM sluice_leases WHERE node_id = ?", nodeId);
                return update(connection, "DELETE FROM sluice_nodes WHERE node_id = ?", nodeId);
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not release the delivery leases of node {}; they expire: {}", nodeId, e.toString());
        }
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (PreparedStatement statement =
                        connection.prepareStatement("SELECT count(*) FROM sluice_nodes WHERE expires_at >= now()");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Set<String> strings(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            Set<String> values = new HashSet<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
