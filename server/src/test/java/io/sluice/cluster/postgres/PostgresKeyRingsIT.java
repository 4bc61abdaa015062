package io.sluice.cluster.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.crypto.DataKey;
import io.sluice.ingest.crypto.DataKeys;
import io.sluice.ingest.crypto.Enablement;
import io.sluice.ingest.crypto.MasterKey;
import io.sluice.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes' {@link DataKeys} on one database: one key per enablement, whichever node makes it. */
class PostgresKeyRingsIT {
    @RegisterExtension
    static final PostgresServer.PerClass POSTGRES = new PostgresServer.PerClass();

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path keysDirectory;

    private Database first;
    private Database second;
    private PostgresKeyRings rings;
    private DataKeys one;
    private DataKeys two;

    @BeforeEach
    void open() throws IOException {
        String url = POSTGRES.server().createDatabase();
        first = TestDatabases.open(url);
        second = TestDatabases.open(url);
        MasterKey master = MasterKey.openOrCreate(keysDirectory, RANDOM);
        rings = new PostgresKeyRings(first);
        one = new DataKeys(rings, master, RANDOM);
        two = new DataKeys(new PostgresKeyRings(second), master, RANDOM);
    }

    @AfterEach
    void close() {
        first.close();
        second.close();
    }

    @Test
    void twoNodesMakingTheKeyOfOneEnablementAtOnceAgreeOnOne() throws Exception {
        List<String> streams = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            streams.add(UUID.randomUUID().toString());
        }
        CyclicBarrier together = new CyclicBarrier(2);
        try (ExecutorService nodes = Executors.newFixedThreadPool(2)) {
            CompletableFuture<List<DataKey>> byOne =
                    CompletableFuture.supplyAsync(() -> make(one, streams, together), nodes);
            CompletableFuture<List<DataKey>> byTwo =
                    CompletableFuture.supplyAsync(() -> make(two, streams, together), nodes);
            List<DataKey> ofOne = byOne.get();
            List<DataKey> ofTwo = byTwo.get();
            for (int i = 0; i < streams.size(); i++) {
                assertThat(ofTwo.get(i).id())
                        .as(streams.get(i))
                        .isEqualTo(ofOne.get(i).id());
                assertThat(rings.read(streams.get(i))).isPresent();
            }
        }
    }

    private static List<DataKey> make(DataKeys keys, List<String> streams, CyclicBarrier together) {
        List<DataKey> made = new ArrayList<>();
        for (String stream : streams) {
            try {
                together.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            made.add(keys.keyFor(new Enablement(stream, 1_000)));
        }
        return made;
    }

    @Test
    void aNodeFindsTheKeysAnotherMade() {
        String stream = UUID.randomUUID().toString();
        DataKey early = one.keyFor(new Enablement(stream, 1_000));
        assertThat(two.find(stream, early.id()).map(DataKey::id)).contains(early.id());
        DataKey late = one.keyFor(new Enablement(stream, 2_000));
        assertThat(two.find(stream, late.id()).map(DataKey::id)).contains(late.id());
        assertThat(two.keyFor(new Enablement(stream, 2_000)).id()).isEqualTo(late.id());
        assertThat(two.find(stream, early.id() ^ late.id() ^ 1)).isEmpty();
    }

    @Test
    void replacesOnlyWhatIsExpected() throws IOException {
        String stream = UUID.randomUUID().toString();
        assertThat(rings.replace(stream, Optional.empty(), new byte[] {1})).isTrue();
        assertThat(rings.replace(stream, Optional.empty(), new byte[] {2})).isFalse();
        assertThat(rings.replace(stream, Optional.of(new byte[] {3}), new byte[] {4}))
                .isFalse();
        assertThat(rings.replace(stream, Optional.of(new byte[] {1}), new byte[] {5}))
                .isTrue();
        assertThat(rings.read(stream)).hasValue(new byte[] {5});
        rings.delete(stream);
        rings.delete(stream);
        assertThat(rings.read(stream)).isEmpty();
    }

    @Test
    void deletedKeysAreGoneForEveryNode() throws IOException {
        String stream = UUID.randomUUID().toString();
        DataKey key = one.keyFor(new Enablement(stream, 1_000));
        one.delete(stream);
        assertThat(two.find(stream, key.id())).isEmpty();
    }

    @Test
    void failsWithAnIoExceptionWhilePostgresIsDown() throws IOException {
        String stream = UUID.randomUUID().toString();
        POSTGRES.server().stop();
        try {
            assertThatThrownBy(() -> rings.read(stream))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("the key ring of stream " + stream);
        } finally {
            POSTGRES.server().start();
        }
        assertThat(rings.read(stream)).isEmpty();
    }
}
