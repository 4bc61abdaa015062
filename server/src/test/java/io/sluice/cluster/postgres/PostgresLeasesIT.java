package io.sluice.cluster.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.catalog.StreamOwnership;
import io.sluice.testing.PostgresServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three nodes spreading nine streams by leases in one database. */
class PostgresLeasesIT {
    @RegisterExtension
    static final PostgresServer.PerClass POSTGRES = new PostgresServer.PerClass();

    private static final Duration LEASE = Duration.ofSeconds(2);

    private final Set<String> streams = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private List<Node> nodes;

    /** One node: its leases, its scheduler, and the streams its listener was told it owns. */
    private record Node(
            PostgresLeases leases, ScheduledExecutorService scheduler, Set<String> told, List<String> lost) {
        boolean ownsExactly(Set<String> expected) {
            return leases.owned().equals(expected) && told.equals(expected);
        }
    }

    @BeforeEach
    void start() {
        for (int i = 0; i < 9; i++) {
            streams.add(UUID.randomUUID().toString());
        }
        String url = POSTGRES.server().createDatabase();
        nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Database database = TestDatabases.open(url);
            resources.add(database);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            resources.add(scheduler::shutdownNow);
            PostgresLeases leases = new PostgresLeases(
                    database,
                    "node-" + i,
                    LEASE,
                    () -> Set.copyOf(streams),
                    Clock.systemUTC(),
                    scheduler,
                    new SplittableRandom(i));
            resources.add(leases);
            Node node = new Node(leases, scheduler, ConcurrentHashMap.newKeySet(), new CopyOnWriteArrayList<>());
            leases.watch(new StreamOwnership.Listener() {
                @Override
                public void gained(String streamUid) {
                    node.told().add(streamUid);
                }

                @Override
                public void lost(String streamUid) {
                    node.told().remove(streamUid);
                    node.lost().add(streamUid);
                }
            });
            nodes.add(node);
        }
        nodes.forEach(node -> node.leases().start());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    /** Whether {@code alive} own every stream between them, each once, as evenly as can be. */
    private boolean spreadEvenly(List<Node> alive) {
        Set<String> all = new HashSet<>();
        int total = 0;
        for (Node node : alive) {
            Set<String> owned = node.leases().owned();
            if (!node.told().equals(owned) || owned.size() > (streams.size() + alive.size() - 1) / alive.size()) {
                return false;
            }
            all.addAll(owned);
            total += owned.size();
        }
        return total == streams.size() && all.equals(streams);
    }

    @Test
    void spreadsNineStreamsThreeToEachNode() {
        await().until(() -> spreadEvenly(nodes));
        for (Node node : nodes) {
            assertThat(node.leases().owned()).hasSize(3);
            node.leases()
                    .owned()
                    .forEach(uid -> assertThat(node.leases().owns(uid)).isTrue());
        }
    }

    @Test
    void theStreamsOfANodeThatClosesAreTakenByTheOthers() throws Exception {
        await().until(() -> spreadEvenly(nodes));
        Node leaving = nodes.get(0);
        Set<String> itsStreams = Set.copyOf(leaving.leases().owned());
        leaving.leases().close();
        assertThat(leaving.told()).isEmpty();
        assertThat(leaving.lost()).containsAll(itsStreams);
        itsStreams.forEach(uid -> assertThat(leaving.leases().owns(uid)).isFalse());
        await().until(() -> spreadEvenly(nodes.subList(1, 3)));
    }

    @Test
    void theStreamsOfANodeThatStopsRenewingAreTakenAfterTheyExpire() {
        await().until(() -> spreadEvenly(nodes));
        Node stuck = nodes.get(2);
        Set<String> itsStreams = Set.copyOf(stuck.leases().owned());
        stuck.scheduler().shutdownNow();
        await().until(() -> itsStreams.stream().noneMatch(uid -> stuck.leases().owns(uid)));
        await().until(() -> spreadEvenly(nodes.subList(0, 2)));
    }

    @Test
    void streamsNoLongerToSpreadAreDroppedAndTheRestSpreadAgain() {
        await().until(() -> spreadEvenly(nodes));
        List<String> gone = List.copyOf(streams).subList(0, 3);
        gone.forEach(streams::remove);
        await().until(() -> spreadEvenly(nodes));
        for (Node node : nodes) {
            assertThat(node.leases().owned()).hasSize(2).doesNotContainAnyElementsOf(gone);
        }
        assertThat(nodes.stream().flatMap(node -> node.lost().stream())).containsAll(gone);
    }

    @Test
    void everyLeaseIsLostWhilePostgresIsDownAndSpreadAgainAfter() throws Exception {
        await().until(() -> spreadEvenly(nodes));
        POSTGRES.server().stop();
        try {
            await().until(() -> nodes.stream().allMatch(node -> node.ownsExactly(Set.of())));
            assertThat(nodes.stream().flatMap(node -> node.lost().stream())).containsAll(streams);
        } finally {
            POSTGRES.server().start();
        }
        await().until(() -> spreadEvenly(nodes));
    }
}
