package io.sluice.cluster.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sluice.catalog.Catalog;
import io.sluice.catalog.CatalogLimits;
import io.sluice.catalog.CatalogListener;
import io.sluice.catalog.CatalogWatcher;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.DeliveryStreamStatus;
import io.sluice.catalog.DeliveryStreamType;
import io.sluice.catalog.NewStream;
import io.sluice.catalog.StreamRef;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DestinationRegistry;
import io.sluice.ingest.crypto.MasterKey;
import io.sluice.ingest.crypto.SecretSealer;
import io.sluice.testing.LocalDestinationTypes;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Specs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes, each a {@link Catalog} on its own {@link PostgresCatalogStore}, sharing one database. */
class PostgresCatalogStoreIT {
    @RegisterExtension
    static final PostgresServer.PerClass POSTGRES = new PostgresServer.PerClass();

    private static final Duration RESYNC = Duration.ofMinutes(5);
    private static final StreamRef REF = new StreamRef("123456789012", "us-east-1", "orders");

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private String url;
    private LocalDestinationTypes types;
    private DestinationRegistry destinations;
    private SecretSealer seal;

    /** One node: its catalog, and what its catalog listener was told. */
    private record Node(
            Catalog catalog,
            ScheduledThreadPoolExecutor scheduler,
            List<DeliveryStream> changed,
            List<DeliveryStream> removed) {}

    @BeforeEach
    void open() throws IOException {
        url = POSTGRES.server().createDatabase();
        types = LocalDestinationTypes.in(dir);
        destinations = types.registry();
        seal = new SecretSealer(MasterKey.openOrCreate(dir.resolve("keys"), new SecureRandom()));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        types.close();
    }

    private PostgresCatalogStore store() {
        return store(RESYNC);
    }

    private PostgresCatalogStore store(Duration resyncInterval) {
        Database database = TestDatabases.open(url);
        resources.add(database);
        PostgresCatalogStore store =
                new PostgresCatalogStore(database, destinations, seal, resyncInterval, Clock.systemUTC());
        resources.add(store);
        return store;
    }

    private Node node(Duration transitionDelay) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        resources.add(scheduler::shutdownNow);
        List<DeliveryStream> changed = new CopyOnWriteArrayList<>();
        List<DeliveryStream> removed = new CopyOnWriteArrayList<>();
        Catalog catalog = new Catalog(
                store(), Clock.systemUTC(), new CatalogLimits(100, transitionDelay), scheduler, new CatalogListener() {
                    @Override
                    public void changed(DeliveryStream stream) {
                        changed.add(stream);
                    }

                    @Override
                    public void removed(DeliveryStream stream) {
                        removed.add(stream);
                    }
                });
        return new Node(catalog, scheduler, changed, removed);
    }

    private static NewStream newStream(StreamRef ref) {
        return new NewStream(
                ref,
                DeliveryStreamType.DIRECT_PUT,
                Optional.empty(),
                Optional.empty(),
                Specs.s3(new BufferingHints(DataSize.ofMebibytes(5), Duration.ofMinutes(5))),
                Optional.empty(),
                Map.of("team", "payments"));
    }

    @Test
    void aStreamCreatedOnOneNodeIsSeenChangedAndDeletedOnTheOther() {
        Node one = node(Duration.ZERO);
        Node two = node(Duration.ZERO);

        DeliveryStream created = one.catalog().create(newStream(REF));
        assertThat(one.catalog().describe(REF).status()).isEqualTo(DeliveryStreamStatus.ACTIVE);
        await().untilAsserted(() ->
                assertThat(two.catalog().find(REF)).contains(one.catalog().describe(REF)));
        assertThat(two.catalog().describe(REF).tags()).containsEntry("team", "payments");

        two.catalog().tag(REF, Map.of("env", "prod"));
        await().untilAsserted(() -> assertThat(one.catalog().describe(REF).tags())
                .containsEntry("env", "prod")
                .containsEntry("team", "payments"));
        one.catalog().untag(REF, List.of("team"));
        await().untilAsserted(
                        () -> assertThat(two.catalog().describe(REF).tags()).containsOnlyKeys("env"));

        one.catalog().delete(REF, false);
        assertThat(one.catalog().find(REF)).isEmpty();
        await().untilAsserted(() -> assertThat(two.catalog().find(REF)).isEmpty());
        assertThat(two.removed()).extracting(DeliveryStream::uid).containsExactly(created.uid());
    }

    @Test
    void aNodeStartingLaterLoadsWhatOthersStored() throws SQLException {
        Node one = node(Duration.ZERO);
        one.catalog().create(newStream(REF));
        Node two = node(Duration.ZERO);
        assertThat(two.catalog().find(REF)).contains(one.catalog().describe(REF));
        assertThat(column("document->>'FormatVersion'")).as("secrets sealed").isEqualTo("2");
        assertThat(column("uid")).isEqualTo(one.catalog().describe(REF).uid());
    }

    @Test
    void ofTwoUpdatesWithTheSameVersionIdOneWinsAndTheOtherIsAConcurrentModification() throws Exception {
        Node one = node(Duration.ZERO);
        Node two = node(Duration.ZERO);
        DeliveryStream created = one.catalog().create(newStream(REF));
        await().until(() -> two.catalog().find(REF).isPresent());
        String destinationId = created.destination().id();

        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<DeliveryStream>> updates = new ArrayList<>();
        for (Node node : List.of(one, two)) {
            updates.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return node.catalog()
                        .updateDestination(
                                REF,
                                "1",
                                destinationId,
                                d -> Specs.s3(new BufferingHints(DataSize.ofMebibytes(64), Duration.ofSeconds(60))));
            }));
        }
        List<DeliveryStream> won = new ArrayList<>();
        List<Throwable> lost = new ArrayList<>();
        for (CompletableFuture<DeliveryStream> update : updates) {
            try {
                won.add(update.get());
            } catch (ExecutionException e) {
                lost.add(e.getCause());
            }
        }
        assertThat(won).singleElement().extracting(DeliveryStream::version).isEqualTo(2L);
        assertThat(lost).hasSize(1);
        assertThat(lost.get(0))
                .isInstanceOfSatisfying(
                        FirehoseException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_MODIFICATION))
                .hasMessage("Cannot update firehose: orders since the current version id: 2 and the specified"
                        + " version id: 1 do not match");
        await().untilAsserted(() -> {
            assertThat(one.catalog().describe(REF).version()).isEqualTo(2);
            assertThat(two.catalog().describe(REF).version()).isEqualTo(2);
        });
    }

    @Test
    void aTransitionIsDoneOnceThoughEveryNodeStandsReadyToFinishIt() throws Exception {
        Node one = node(Duration.ofMillis(300));
        Node two = node(Duration.ofMillis(300));
        DeliveryStream created = one.catalog().create(newStream(REF));
        assertThat(created.status()).isEqualTo(DeliveryStreamStatus.CREATING);
        await().untilAsserted(() -> assertThat(two.catalog().find(REF))
                .get()
                .extracting(DeliveryStream::status)
                .isEqualTo(DeliveryStreamStatus.CREATING));

        await().untilAsserted(
                        () -> assertThat(one.catalog().describe(REF).status()).isEqualTo(DeliveryStreamStatus.ACTIVE));
        String completed = column("updated_at::text");
        await().untilAsserted(
                        () -> assertThat(two.catalog().describe(REF).status()).isEqualTo(DeliveryStreamStatus.ACTIVE));
        // The other node's stand-by completion (after the delay and a second) has run, and written nothing.
        await().until(() -> two.scheduler().getCompletedTaskCount() == 1
                && two.scheduler().getQueue().isEmpty());
        assertThat(column("updated_at::text")).isEqualTo(completed);
        assertThat(two.changed())
                .extracting(DeliveryStream::status)
                .containsExactly(DeliveryStreamStatus.CREATING, DeliveryStreamStatus.ACTIVE);
    }

    /** A column of the stream's row, as text. */
    private String column(String expression) throws SQLException {
        try (Connection connection = POSTGRES.server().connect(url.substring(url.lastIndexOf('/') + 1));
                PreparedStatement select =
                        connection.prepareStatement("SELECT " + expression + " FROM sluice_streams WHERE name = ?")) {
            select.setString(1, REF.name());
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    @Test
    void aChangeThatFailsWritesNothing() {
        Node one = node(Duration.ZERO);
        one.catalog().create(newStream(REF));
        assertThatThrownBy(() -> one.catalog().create(newStream(REF)))
                .isInstanceOfSatisfying(
                        FirehoseException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_IN_USE));
        assertThat(node(Duration.ZERO).catalog().describe(REF).version()).isEqualTo(1);
    }

    /** Counts a store's resyncs; changes are not counted. */
    private static AtomicInteger resyncsOf(PostgresCatalogStore store) {
        AtomicInteger resyncs = new AtomicInteger();
        store.watch(new CatalogWatcher() {
            @Override
            public void changed(StreamRef ref) {}

            @Override
            public void resync() {
                resyncs.incrementAndGet();
            }
        });
        return resyncs;
    }

    @Test
    void aWatcherResyncsEveryIntervalAsASafetyNet() {
        AtomicInteger resyncs = resyncsOf(store(Duration.ofSeconds(1)));
        await().until(() -> resyncs.get() >= 3);
    }

    @Test
    void failsWithinSecondsWhilePostgresIsDownThenWorksAndResyncsAgain() throws Exception {
        PostgresCatalogStore watched = store();
        AtomicInteger resyncs = resyncsOf(watched);
        await().until(() -> resyncs.get() == 1);
        Node one = node(Duration.ZERO);
        Node two = node(Duration.ZERO);
        one.catalog().create(newStream(REF));
        StreamRef later = new StreamRef(REF.account(), REF.region(), "later");

        POSTGRES.server().stop();
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertThatThrownBy(() -> one.catalog().create(newStream(later)))
                        .isInstanceOfSatisfying(
                                FirehoseException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
                assertThatThrownBy(() -> watched.change(
                                later,
                                Optional.empty(),
                                none -> Optional.of(one.catalog().describe(REF))))
                        .isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining("cannot store delivery stream " + later.arn())
                        .hasMessageContaining(url);
                assertThatThrownBy(() -> watched.load(REF)).isInstanceOf(UncheckedIOException.class);
            });
            assertThat(one.catalog().find(later)).isEmpty();
        } finally {
            POSTGRES.server().start();
        }

        await().until(() -> resyncs.get() >= 2);
        one.catalog().create(newStream(later));
        await().until(() -> two.catalog().find(later).isPresent());
        assertThat(watched.load(later)).isPresent();
    }
}
