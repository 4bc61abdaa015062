package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordScratchTest {
    private static ByteBuffer readOnly(int length, byte fill) {
        byte[] bytes = new byte[length + 2];
        Arrays.fill(bytes, fill);
        return ByteBuffer.wrap(bytes, 1, length).asReadOnlyBuffer();
    }

    @Test
    void copiesTheRemainingBytesAndReusesItsRoomUpToItsBound() {
        RecordScratch scratch = new RecordScratch();
        ByteBuffer small = readOnly(100, (byte) 1);

        byte[] first = scratch.copy(small);
        byte[] second = scratch.copy(readOnly(8 * 1024, (byte) 2));
        byte[] third = scratch.copy(readOnly(10, (byte) 3));

        assertThat(small.position()).isEqualTo(1);
        assertThat(Arrays.copyOf(first, 100)).containsOnly(1);
        assertThat(second).isNotSameAs(first).hasSizeGreaterThanOrEqualTo(8 * 1024);
        assertThat(third).isSameAs(second);
        assertThat(Arrays.copyOf(third, 10)).containsOnly(3);
    }

    @Test
    void givesALargerRecordAnArrayOfItsOwn() {
        RecordScratch scratch = new RecordScratch();
        byte[] kept = scratch.copy(readOnly(10, (byte) 1));

        byte[] large = scratch.copy(readOnly(RecordScratch.MAX_KEPT + 1, (byte) 2));

        assertThat(large).hasSize(RecordScratch.MAX_KEPT + 1).containsOnly(2);
        assertThat(scratch.copy(readOnly(10, (byte) 3))).isSameAs(kept);
    }
}
