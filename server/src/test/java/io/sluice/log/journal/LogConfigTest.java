package io.sluice.log.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.DataSize;
import io.sluice.log.AppendRecord;
import io.sluice.log.StreamKey;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogConfigTest {
    private final LogConfig defaults = LogConfig.defaults(Path.of("data", "log"));

    @Test
    void defaultsAreFirehoseLike() {
        assertThat(defaults.segmentSize()).isEqualTo(DataSize.ofMebibytes(128));
        assertThat(defaults.fsyncPolicy()).isEqualTo(FsyncPolicy.ALWAYS);
        assertThat(defaults.retention()).isEqualTo(Duration.ofHours(24));
        assertThat(defaults.maxLogSize()).isEqualTo(DataSize.ofGibibytes(16));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> defaults.withSegmentSize(DataSize.ofBytes(100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withSegmentSize(DataSize.ofGibibytes(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withRetention(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxLogSize(DataSize.ofMebibytes(255)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two segments");
        assertThatThrownBy(() -> FsyncPolicy.interval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsAndKeysValidateThemselves() {
        assertThatThrownBy(() -> new StreamKey("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamKey("é".repeat(513))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendRecord(ByteBuffer.allocate(1), -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppendRecord(ByteBuffer.allocate(1), 0, 256))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
