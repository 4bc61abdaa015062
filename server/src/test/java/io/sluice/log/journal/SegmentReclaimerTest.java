package io.sluice.log.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.common.DataSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Freed segments leave the log at once and are deleted in forced steps, across a restart if need be. */
class SegmentReclaimerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    private Path segment(long sequence, int bytes) throws IOException {
        return Files.write(directory.resolve(FrameFormat.segmentFileName(sequence)), new byte[bytes]);
    }

    private long files() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    @Test
    void aFreedSegmentLeavesTheLogAtOnceAndIsDeletedInTheBackground() throws Exception {
        Path first = segment(1, 10_000);
        Path second = segment(2, 3_000);
        SegmentReclaimer reclaimer = new SegmentReclaimer(directory, DataSize.ofKibibytes(1), Duration.ZERO);
        reclaimer.start();
        try {
            reclaimer.free(first);
            reclaimer.free(second);

            assertThat(first).doesNotExist();
            assertThat(second).doesNotExist();
            await().atMost(WAIT).until(() -> files() == 0);
        } finally {
            reclaimer.stop();
        }
    }

    @Test
    void aSegmentShrinksAStepAtATimeAndOneCutShortIsDeletedAfterTheNextStart() throws Exception {
        Path freed = directory.resolve(FrameFormat.segmentFileName(7) + SegmentReclaimer.FREE_SUFFIX);
        SegmentReclaimer reclaimer = new SegmentReclaimer(directory, DataSize.ofKibibytes(1), Duration.ofHours(1));
        reclaimer.start();
        try {
            reclaimer.free(segment(7, 4096));

            await().atMost(WAIT).until(() -> Files.exists(freed) && Files.size(freed) == 3072);
        } finally {
            reclaimer.stop();
        }
        assertThat(Files.size(freed)).isEqualTo(3072);

        SegmentReclaimer restarted = new SegmentReclaimer(directory, DataSize.ofMebibytes(4), Duration.ZERO);
        restarted.start();
        try {
            await().atMost(WAIT).until(() -> files() == 0);
        } finally {
            restarted.stop();
        }
    }

    @Test
    void freeingASegmentThatIsGoneSaysSo() throws Exception {
        SegmentReclaimer reclaimer = new SegmentReclaimer(directory, DataSize.ofKibibytes(1), Duration.ZERO);
        reclaimer.start();
        try {
            assertThatThrownBy(() -> reclaimer.free(directory.resolve(FrameFormat.segmentFileName(3))))
                    .isInstanceOf(NoSuchFileException.class);
        } finally {
            reclaimer.stop();
        }
    }
}
