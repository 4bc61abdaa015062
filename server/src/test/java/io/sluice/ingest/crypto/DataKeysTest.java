package io.sluice.ingest.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataKeysTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dataDir;

    private final String uid = UUID.randomUUID().toString();

    private Path keys() {
        return dataDir.resolve("keys");
    }

    private DataKeys open() throws Exception {
        return DataKeys.open(keys(), RANDOM);
    }

    @Test
    void makesOneKeyPerEnablementAndKeepsTheOlderOnes() throws Exception {
        DataKeys keys = open();
        DataKey first = keys.keyFor(new Enablement(uid, 1_000));
        assertThat(keys.keyFor(new Enablement(uid, 1_000))).isSameAs(first);
        DataKey second = keys.keyFor(new Enablement(uid, 2_000));

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.secret().getEncoded()).isNotEqualTo(first.secret().getEncoded());
        Path file = keys().resolve(uid + ".key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.size(file)).isEqualTo(4 + 1 + 4 + 2 * 72 + 4);

        DataKeys reopened = open();
        assertThat(reopened.find(uid, first.id()).orElseThrow().secret().getEncoded())
                .isEqualTo(first.secret().getEncoded());
        assertThat(reopened.find(uid, second.id()).orElseThrow().secret().getEncoded())
                .isEqualTo(second.secret().getEncoded());
        assertThat(reopened.keyFor(new Enablement(uid, 2_000)).id()).isEqualTo(second.id());
        assertThat(reopened.find(uid, first.id() ^ second.id() ^ 1)).isEmpty();
    }

    @Test
    void aStreamWithoutKeysHasNone() throws Exception {
        assertThat(open().find(uid, 42)).isEmpty();
        assertThat(keys().resolve(uid + ".key")).doesNotExist();
    }

    @Test
    void aKeyFileDoesNotOpenForAnotherStream() throws Exception {
        DataKey key = open().keyFor(new Enablement(uid, 1_000));
        String other = UUID.randomUUID().toString();
        Files.copy(keys().resolve(uid + ".key"), keys().resolve(other + ".key"));

        assertThatThrownBy(() -> open().find(other, key.id()))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("was not written with this master key for this stream");
    }

    @Test
    void anotherMasterKeyCannotUnwrapTheDataKeys() throws Exception {
        DataKey key = open().keyFor(new Enablement(uid, 1_000));
        Path elsewhere = dataDir.resolve("elsewhere");
        MasterKey.openOrCreate(elsewhere, RANDOM);
        Files.copy(elsewhere.resolve("master.key"), keys().resolve("master.key"), StandardCopyOption.REPLACE_EXISTING);

        DataKeys keys = open();
        assertThatThrownBy(() -> keys.find(uid, key.id()))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("Restore the matching keys/master.key");
        assertThatThrownBy(() -> keys.keyFor(new Enablement(uid, 1_000))).isInstanceOf(KeyFileException.class);
    }

    @Test
    void aDamagedKeyFileFailsLoudly() throws Exception {
        DataKey key = open().keyFor(new Enablement(uid, 1_000));
        Path file = keys().resolve(uid + ".key");
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 0x40;
        Files.write(file, bytes);

        assertThatThrownBy(() -> open().find(uid, key.id()))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("is damaged");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> open().find(uid, key.id()))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("is not a valid Sluice data key file");
    }

    @Test
    void deletingAStreamsKeysRemovesItsFile() throws Exception {
        DataKeys keys = open();
        DataKey key = keys.keyFor(new Enablement(uid, 1_000));
        keys.delete(uid);

        assertThat(keys().resolve(uid + ".key")).doesNotExist();
        assertThat(keys.find(uid, key.id())).isEmpty();
    }

    @Test
    void onlyUuidsNameKeyFiles() throws Exception {
        DataKeys keys = open();
        assertThatThrownBy(() -> keys.keyFor(new Enablement("../master", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.find("master", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
