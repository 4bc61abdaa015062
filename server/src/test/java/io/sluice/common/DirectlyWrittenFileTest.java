package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectlyWrittenFileTest {
    @TempDir
    Path dir;

    /** 16 KiB buffers, one kept. */
    private DirectlyWrittenFile.Buffers buffers;

    @BeforeEach
    void directIo() throws IOException {
        Optional<DirectlyWrittenFile.Buffers> made = DirectlyWrittenFile.Buffers.in(dir, DataSize.ofKibibytes(16), 1);
        assumeTrue(made.isPresent(), "the temporary folder's file system takes direct I/O");
        buffers = made.get();
        assertThat(Arrays.asList(dir.toFile().list())).as("the probe is gone").isEmpty();
    }

    /** Lengths around the block and the buffer: empty, a partial block only, whole buffers, a tail. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 511, 4095, 4096, 4097, 16_384, 16_385, 65_536, 300_001})
    void writesEveryByteInOrder(int size) throws IOException {
        byte[] content = content(size);
        Path file = dir.resolve("object");
        try (OutputStream out = DirectlyWrittenFile.create(file, buffers)) {
            UnevenWrites.write(out, content);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void filesWrittenAtOnceGetBuffersOfTheirOwnAndAReturnedOneIsReused() throws IOException {
        byte[] first = content(40_000);
        byte[] second = content(50_000);
        try (OutputStream a = DirectlyWrittenFile.create(dir.resolve("a"), buffers);
                OutputStream b = DirectlyWrittenFile.create(dir.resolve("b"), buffers)) {
            for (int offset = 0; offset < 40_000; offset += 1_000) {
                a.write(first, offset, 1_000);
                b.write(second, offset, 1_000);
            }
            b.write(second, 40_000, 10_000);
        }
        byte[] third = content(5_000);
        try (OutputStream c = DirectlyWrittenFile.create(dir.resolve("c"), buffers)) {
            c.write(third);
        }
        assertThat(Files.readAllBytes(dir.resolve("a"))).isEqualTo(first);
        assertThat(Files.readAllBytes(dir.resolve("b"))).isEqualTo(second);
        assertThat(Files.readAllBytes(dir.resolve("c")))
                .as("no byte of an earlier file")
                .isEqualTo(third);
    }

    @Test
    void roundsTheBufferUpToWholeBlocks() throws IOException {
        int block = buffers.block();
        DirectlyWrittenFile.Buffers odd = DirectlyWrittenFile.Buffers.in(dir, DataSize.ofBytes(block + 1), 1)
                .orElseThrow();
        assertThat(odd.size()).isEqualTo(2 * block);
        byte[] content = content(5 * block + 7);
        Path file = dir.resolve("object");
        try (OutputStream out = DirectlyWrittenFile.create(file, odd)) {
            out.write(content);
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void closingTwiceWritesOnceAndWritingAfterCloseFails() throws IOException {
        Path file = dir.resolve("object");
        OutputStream out = DirectlyWrittenFile.create(file, buffers);
        out.write(new byte[] {1, 2, 3});
        out.close();
        out.close();
        assertThat(Files.readAllBytes(file)).isEqualTo(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> out.write(4)).isInstanceOf(IOException.class);
    }

    @Test
    void neverReplacesAFile() throws IOException {
        Path file = Files.write(dir.resolve("kept"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> DirectlyWrittenFile.create(file, buffers))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(new byte[] {1, 2, 3});
    }

    @Test
    void refusesABufferOrAKeepThatIsNotPositive() {
        assertThatThrownBy(() -> DirectlyWrittenFile.Buffers.in(dir, DataSize.ofBytes(0), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DirectlyWrittenFile.Buffers.in(dir, DataSize.ofKibibytes(16), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.asList(dir.toFile().list())).isEmpty();
    }

    @Test
    void aMissingFolderIsAnErrorNotARefusal() {
        assertThatThrownBy(() -> DirectlyWrittenFile.Buffers.in(dir.resolve("missing"), DataSize.ofKibibytes(16), 1))
                .isInstanceOf(NoSuchFileException.class);
    }

    private static byte[] content(int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return content;
    }
}
