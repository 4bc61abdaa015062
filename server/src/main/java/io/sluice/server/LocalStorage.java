package io.sluice.server;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.DestinationFormat;
import io.sluice.catalog.FileCatalogStore;
import io.sluice.catalog.SecretSeal;
import io.sluice.catalog.StreamOwnership;
import io.sluice.ingest.crypto.FileKeyRings;
import io.sluice.ingest.crypto.KeyRingStore;
import io.sluice.ingest.crypto.MasterKey;
import io.sluice.log.RecordLog;
import io.sluice.log.journal.JournalLog;
import io.sluice.metrics.Metrics;
import io.sluice.metrics.ServerMetric;
import io.sluice.source.Checkpoints;
import io.sluice.source.FileCheckpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node of its own: the journal in {@code <data-dir>/log}, the catalog's files in {@code catalog}, the
 * master key and key rings in {@code keys}, the sources' positions in {@code sources}; it owns every stream.
 */
final class LocalStorage implements NodeStorage {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStorage.class);

    private final Path dataDir;
    private final JournalLog journal;
    private final MasterKey master;

    private LocalStorage(Path dataDir, JournalLog journal, MasterKey master) {
        this.dataDir = dataDir;
        this.journal = journal;
        this.master = master;
    }

    static LocalStorage open(SluiceConfig config, Clock clock, Metrics metrics, SecureRandom random)
            throws IOException {
        Path dataDir = requireNonNull(config.dataDir(), "dataDir is null");
        MasterKey master = MasterKey.openOrCreate(dataDir.resolve("keys"), random);
        JournalLog journal =
                JournalLog.open(config.log().toLogConfig(dataDir.resolve("log")), clock, new LogMetrics(metrics));
        metrics.gauge(ServerMetric.LOG_SIZE_BYTES, journal, j -> j.stats().diskBytes());
        return new LocalStorage(dataDir, journal, master);
    }

    @Override
    public RecordLog log() {
        return journal;
    }

    @Override
    public MasterKey masterKey() {
        return master;
    }

    @Override
    public KeyRingStore keyRings() {
        return new FileKeyRings(dataDir.resolve("keys"));
    }

    @Override
    public CatalogStore catalog(DestinationFormat destinations, SecretSeal seal) {
        return new FileCatalogStore(dataDir.resolve("catalog"), destinations, seal);
    }

    @Override
    public Function<String, Checkpoints> checkpoints() {
        Path directory = dataDir.resolve("sources");
        return uid -> new FileCheckpoints(directory, uid);
    }

    @Override
    public StreamOwnership ownership(Supplier<Collection<String>> streams, StreamOwnership.Listener listener) {
        return StreamOwnership.ALL;
    }

    @Override
    public void maintain() {
        try {
            journal.enforceRetention();
        } catch (RuntimeException e) {
            LOG.error("Enforcing the retention of the record log failed; retrying in a minute", e);
        }
    }

    @Override
    public void close() {
        journal.close();
    }
}
