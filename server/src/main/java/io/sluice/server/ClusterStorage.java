package io.sluice.server;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.DestinationFormat;
import io.sluice.catalog.SecretSeal;
import io.sluice.catalog.StreamOwnership;
import io.sluice.cluster.postgres.Database;
import io.sluice.cluster.postgres.MasterKeyCheck;
import io.sluice.cluster.postgres.PostgresCatalogStore;
import io.sluice.cluster.postgres.PostgresCheckpoints;
import io.sluice.cluster.postgres.PostgresKeyRings;
import io.sluice.cluster.postgres.PostgresLeases;
import io.sluice.cluster.postgres.PostgresOffsets;
import io.sluice.ingest.crypto.KeyRingStore;
import io.sluice.ingest.crypto.MasterKey;
import io.sluice.log.RecordLog;
import io.sluice.log.kafka.KafkaRecordLog;
import io.sluice.source.Checkpoints;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node of a cluster: the record log in Kafka (a topic per stream), the catalog, key rings, committed
 * offsets, source positions and delivery leases in PostgreSQL, shared by every node; the master key in the
 * shared keys directory. Nothing of a stream stays on the node's disk but staging files.
 */
final class ClusterStorage implements NodeStorage {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterStorage.class);
    /** How often a node re-reads the whole catalog in case it missed a change notice. */
    private static final Duration RESYNC_INTERVAL = Duration.ofSeconds(30);

    /** Connecting and a statement take at most this, and well under a lease (a third of it): a node that
     * waits on PostgreSQL longer than its leases last would deliver streams it no longer owns. */
    private static final Duration MAX_DATABASE_WAIT = Duration.ofSeconds(10);
    /** How long a put waits for Kafka before it answers 503 (well within SDKs' default timeouts). */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSettings settings;
    private final Clock clock;
    private final Database database;
    private final KafkaRecordLog log;
    private final MasterKey master;
    private final ScheduledExecutorService leaseRounds;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private ClusterStorage(
            ClusterSettings settings, Clock clock, Database database, KafkaRecordLog log, MasterKey master) {
        this.settings = settings;
        this.clock = clock;
        this.database = database;
        this.log = log;
        this.master = master;
        this.leaseRounds = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sluice-leases").daemon(true).factory());
    }

    static ClusterStorage open(ClusterSettings settings, SluiceConfig config, Clock clock, SecureRandom random)
            throws IOException {
        if (config.delivery().s3().isEmpty()) {
            throw new IllegalArgumentException("cluster mode needs 's3-endpoint': an S3-compatible store every node"
                    + " reaches (the embedded local store is one node's disk)");
        }
        MasterKey master = MasterKey.openOrCreate(settings.keysDirectory(), random);
        ClusterSettings.Postgres postgres = settings.postgres();
        Database database = Database.open(new Database.Settings(
                postgres.url(),
                postgres.user().orElse(""),
                postgres.password(),
                postgres.poolSize(),
                databaseWait(settings),
                databaseWait(settings)));
        try {
            MasterKeyCheck.require(database, master, settings.keysDirectory().toString());
            KafkaRecordLog log = KafkaRecordLog.open(
                    new KafkaRecordLog.Settings(
                            settings.kafka(),
                            settings.topicPrefix(),
                            settings.replicationFactor(),
                            config.log().retention(),
                            KAFKA_TIMEOUT),
                    new PostgresOffsets(database));
            LOG.info(
                    "Node {} of a cluster: record log in Kafka, catalog in {}", settings.nodeId(), database.describe());
            return new ClusterStorage(settings, clock, database, log, master);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static Duration databaseWait(ClusterSettings settings) {
        Duration third = settings.leaseDuration().dividedBy(3);
        Duration wait = third.compareTo(MAX_DATABASE_WAIT) < 0 ? third : MAX_DATABASE_WAIT;
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
    }

    @Override
    public RecordLog log() {
        return log;
    }

    @Override
    public MasterKey masterKey() {
        return master;
    }

    @Override
    public KeyRingStore keyRings() {
        return new PostgresKeyRings(database);
    }

    @Override
    public synchronized CatalogStore catalog(DestinationFormat destinations, SecretSeal seal) {
        PostgresCatalogStore store = new PostgresCatalogStore(database, destinations, seal, RESYNC_INTERVAL, clock);
        closeables.add(store);
        return store;
    }

    @Override
    public Function<String, Checkpoints> checkpoints() {
        PostgresCheckpoints checkpoints = new PostgresCheckpoints(database);
        return uid -> checkpoints.of(uid);
    }

    @Override
    public synchronized StreamOwnership ownership(
            Supplier<Collection<String>> streams, StreamOwnership.Listener listener) {
        PostgresLeases leases = new PostgresLeases(
                database,
                settings.nodeId(),
                settings.leaseDuration(),
                streams,
                clock,
                leaseRounds,
                new SplittableRandom());
        leases.watch(listener);
        leases.start();
        closeables.add(0, leases);
        return leases;
    }

    @Override
    public void maintain() {}

    @Override
    public synchronized void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", closeable, e);
            }
        }
        leaseRounds.shutdownNow();
        log.close();
        database.close();
    }
}
