package io.sluice.ingest.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] AAD = "stream".getBytes(UTF_8);

    @TempDir
    Path dataDir;

    private Path keys() {
        return dataDir.resolve("keys");
    }

    @Test
    void isCreatedOwnerOnlyAtTheFirstStartAndReadBackLater() throws Exception {
        MasterKey first = MasterKey.openOrCreate(keys(), RANDOM);

        Path file = keys().resolve("master.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys())))
                .isEqualTo("rwx------");
        assertThat(Files.size(file)).isEqualTo(41);
        assertThat(Files.readAllBytes(file)).startsWith("SLMK".getBytes(UTF_8));
        assertThat(keys().resolve("master.key.tmp")).doesNotExist();

        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
        byte[] wrapped = first.wrap(secret, AAD);
        MasterKey again = MasterKey.openOrCreate(keys(), RANDOM);
        assertThat(again.unwrap(wrapped, AAD)).isEqualTo(secret);
        assertThat(Files.size(file)).isEqualTo(41);
    }

    @Test
    void wrappingIsBoundToItsAssociatedData() throws Exception {
        MasterKey master = MasterKey.openOrCreate(keys(), RANDOM);
        byte[] wrapped = master.wrap(new byte[32], AAD);
        assertThatThrownBy(() -> master.unwrap(wrapped, "other".getBytes(UTF_8)))
                .isInstanceOf(javax.crypto.AEADBadTagException.class);
    }

    @Test
    void refusesAMasterKeyOthersMayRead() throws Exception {
        MasterKey.openOrCreate(keys(), RANDOM);
        Files.setPosixFilePermissions(keys().resolve("master.key"), PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> MasterKey.openOrCreate(keys(), RANDOM))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("master.key may be accessed by others (rw-r-----)")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void refusesADamagedMasterKey() throws Exception {
        MasterKey.openOrCreate(keys(), RANDOM);
        Path file = keys().resolve("master.key");
        byte[] bytes = Files.readAllBytes(file);
        bytes[10] ^= 0x01;
        Files.write(file, bytes);

        assertThatThrownBy(() -> MasterKey.openOrCreate(keys(), RANDOM))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("is not a valid Sluice master key");
    }

    @Test
    void refusesToReplaceALostMasterKeyWhileDataKeysNeedIt() throws Exception {
        DataKeys keys = DataKeys.open(keys(), RANDOM);
        keys.keyFor(new Enablement("6f1c2a9e-8d6b-4b0e-9c55-2f1d4b7f0a11", 1));
        Files.delete(keys().resolve("master.key"));

        assertThatThrownBy(() -> MasterKey.openOrCreate(keys(), RANDOM))
                .isInstanceOf(KeyFileException.class)
                .hasMessageContaining("master.key is missing but data keys such as"
                        + " 6f1c2a9e-8d6b-4b0e-9c55-2f1d4b7f0a11.key exist");
        assertThat(keys().resolve("master.key")).doesNotExist();
    }
}
