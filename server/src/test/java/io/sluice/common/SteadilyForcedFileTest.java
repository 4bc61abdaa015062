package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SteadilyForcedFileTest {
    @TempDir
    Path dir;

    @Test
    void writesEveryByteInOrderAcrossManyIntervals() throws IOException {
        byte[] content = new byte[300_000];
        new Random(3).nextBytes(content);
        Path file = dir.resolve("object");
        try (OutputStream out = SteadilyForcedFile.create(file, DataSize.ofBytes(4096))) {
            UnevenWrites.write(out, content);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void neverReplacesAFile() throws IOException {
        Path file = Files.write(dir.resolve("kept"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SteadilyForcedFile.create(file, DataSize.ofMebibytes(4)))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(new byte[] {1, 2, 3});
    }

    @Test
    void refusesAnIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> SteadilyForcedFile.create(dir.resolve("x"), DataSize.ofBytes(0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.asList(dir.toFile().list())).isEmpty();
    }
}
