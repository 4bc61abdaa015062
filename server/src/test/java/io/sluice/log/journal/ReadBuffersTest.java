package io.sluice.log.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ReadBuffersTest {
    private static final int KIB = 1024;

    @Test
    void lendsDirectBuffersOfAtLeastTheCapacityAskedFor() {
        ReadBuffers buffers = new ReadBuffers(0);
        ByteBuffer buffer = buffers.take(100 * KIB + 1);
        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.capacity()).isEqualTo(128 * KIB);
        assertThat(buffer.position()).isZero();
        assertThat(buffer.limit()).isEqualTo(buffer.capacity());
    }

    @Test
    void lendsTheSmallestKeptBufferThatIsLargeEnoughAgainCleared() {
        ReadBuffers buffers = new ReadBuffers(1024 * KIB);
        ByteBuffer window = buffers.take(64 * KIB);
        ByteBuffer large = buffers.take(600 * KIB);
        buffers.giveBack(window);
        buffers.giveBack(large.position(10).limit(20));

        assertThat(buffers.take(64 * KIB)).isSameAs(window); // the smallest, though not the latest
        assertThat(buffers.take(65 * KIB)).isSameAs(large);
        assertThat(large.position()).isZero();
        assertThat(large.limit()).isEqualTo(large.capacity());
        assertThat(buffers.take(64 * KIB)).isNotSameAs(window).isNotSameAs(large);
    }

    @Test
    void keepsNoMoreThanItsBudget() {
        ReadBuffers buffers = new ReadBuffers(128 * KIB);
        ByteBuffer first = buffers.take(64 * KIB);
        ByteBuffer second = buffers.take(64 * KIB);
        ByteBuffer third = buffers.take(64 * KIB);
        buffers.giveBack(first);
        buffers.giveBack(second);
        buffers.giveBack(third);
        // buffers compare by content (all zeros here): identity is what counts
        ByteBuffer fourth = buffers.take(64 * KIB);
        ByteBuffer fifth = buffers.take(64 * KIB);
        assertThat(fourth == second && fifth == first).isTrue();
        ByteBuffer sixth = buffers.take(64 * KIB);
        assertThat(sixth != first && sixth != second && sixth != third).isTrue();
        assertThatThrownBy(() -> new ReadBuffers(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
