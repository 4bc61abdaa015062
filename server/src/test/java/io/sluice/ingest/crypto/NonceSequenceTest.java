package io.sluice.ingest.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class NonceSequenceTest {
    @Test
    void countsUpWithinAnEpochAndDrawsANewEpochWhenItRunsOut() {
        NonceSequence nonces = new NonceSequence(new SecureRandom(), 10);
        NonceSequence.Run first = nonces.reserve(4);
        NonceSequence.Run second = nonces.reserve(4);
        NonceSequence.Run third = nonces.reserve(4);

        assertThat(first.firstCounter()).isZero();
        assertThat(second.epoch()).isEqualTo(first.epoch());
        assertThat(second.firstCounter()).isEqualTo(4);
        assertThat(third.epoch()).isNotEqualTo(first.epoch());
        assertThat(third.firstCounter()).isZero();
    }

    @Test
    void writesTheEpochThenTheCounterBigEndian() {
        NonceSequence.Run run = new NonceSequence.Run(0x0102030405060708L, 0xFFFF_FFFEL, 2);
        byte[] out = new byte[14];
        run.write(1, out, 2);

        ByteBuffer nonce = ByteBuffer.wrap(out, 2, 12);
        assertThat(nonce.getLong()).isEqualTo(0x0102030405060708L);
        assertThat(nonce.getInt()).isEqualTo(0xFFFF_FFFF);
        assertThatThrownBy(() -> run.write(2, out, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
