package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataSizeTest {
    @Test
    void convertsBinaryUnitsAndPrintsExactly() {
        assertThat(DataSize.ofKibibytes(3).bytes()).isEqualTo(3072);
        assertThat(DataSize.ofMebibytes(128)).hasToString("128 MiB");
        assertThat(DataSize.ofGibibytes(2)).hasToString("2 GiB");
        assertThat(DataSize.ofBytes(1536)).hasToString("1536 B");
        assertThat(DataSize.ofBytes(0)).hasToString("0 B");
        assertThat(DataSize.ofKibibytes(1)).isLessThan(DataSize.ofBytes(1025));
    }

    @Test
    void refusesNegativeAndOverflowingSizes() {
        assertThatThrownBy(() -> DataSize.ofBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSize.ofGibibytes(Long.MAX_VALUE)).isInstanceOf(ArithmeticException.class);
    }
}
