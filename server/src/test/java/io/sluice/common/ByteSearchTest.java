package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ByteSearchTest {
    @Test
    void findsTheFirstMatchAtEveryPositionAndAlignmentAndNoneBeyondTheEnd() {
        byte[] bytes = new byte[100];
        for (byte target : new byte[] {'"', '\\', 0, (byte) 0xFF}) {
            for (int from = 0; from < 9; from++) {
                for (int at = from; at < 90; at++) {
                    Arrays.fill(bytes, (byte) 'a');
                    bytes[at] = target;
                    bytes[at + 3] = target;
                    assertThat(ByteSearch.indexOf(bytes, from, 100, target)).isEqualTo(at);
                    assertThat(ByteSearch.indexOf(bytes, from, at, target)).isEqualTo(-1);
                    assertThat(ByteSearch.indexOf(bytes, at + 1, 100, target)).isEqualTo(at + 3);
                }
            }
        }
    }

    @Test
    void bytesNextToTheTargetAreNoMatch() {
        byte[] bytes = {'!', '#', (byte) 0xA2, 0x22 - 0x01, 0x23, 0x21, '!', '#', '!', '#', '"'};
        assertThat(ByteSearch.indexOf(bytes, 0, bytes.length, (byte) '"')).isEqualTo(10);
    }
}
