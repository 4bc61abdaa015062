package io.sluice.ingest.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSealerTest {
    @TempDir
    Path keys;

    @TempDir
    Path otherKeys;

    @Test
    void opensWhatItSealedForTheSameContextOnly() throws Exception {
        SecretSealer sealer = new SecretSealer(MasterKey.openOrCreate(keys, new SecureRandom()));
        String sealed =
                sealer.seal("token-123", "uid-1/HttpEndpointDestinationConfiguration/EndpointConfiguration/AccessKey");

        assertThat(sealed).startsWith("1:").doesNotContain("token-123");
        assertThat(sealer.seal("token-123", "uid-1/m")).isNotEqualTo(sealer.seal("token-123", "uid-1/m"));
        assertThat(sealer.open(sealed, "uid-1/HttpEndpointDestinationConfiguration/EndpointConfiguration/AccessKey"))
                .isEqualTo("token-123");
        assertThatThrownBy(() -> sealer.open(
                        sealed, "uid-2/HttpEndpointDestinationConfiguration/EndpointConfiguration/AccessKey"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("master key");
    }

    @Test
    void anotherMasterKeyOrDamagedTextDoesNotOpen() throws Exception {
        String sealed = new SecretSealer(MasterKey.openOrCreate(keys, new SecureRandom())).seal("token", "c");
        SecretSealer other = new SecretSealer(MasterKey.openOrCreate(otherKeys, new SecureRandom()));

        assertThatThrownBy(() -> other.open(sealed, "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> other.open("1:AAAA", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> other.open("token", "c")).isInstanceOf(IllegalArgumentException.class);
    }
}
