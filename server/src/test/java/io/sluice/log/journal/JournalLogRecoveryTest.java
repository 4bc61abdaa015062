package io.sluice.log.journal;

import static io.sluice.log.journal.TestRecords.batch;
import static io.sluice.log.journal.TestRecords.drain;
import static io.sluice.log.journal.TestRecords.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.common.DataSize;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamOffsets;
import io.sluice.testing.ManualClock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery tested by damaging real segment files: torn tails, flipped bits, broken headers. */
class JournalLogRecoveryTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final StreamKey STREAM = new StreamKey("orders");
    private static final StreamKey OTHER = new StreamKey("clicks");

    @TempDir
    Path root;

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));

    private static LogConfig config(Path directory, DataSize segmentSize) {
        return LogConfig.defaults(directory).withSegmentSize(segmentSize).withMaxLogSize(DataSize.ofMebibytes(64));
    }

    /** A log of one segment with numbered single-record batches; returns each batch's end in the file. */
    private List<Long> writeBatches(Path directory, int count) throws Exception {
        List<Long> ends = new ArrayList<>();
        try (JournalLog log = JournalLog.open(config(directory, DataSize.ofMebibytes(1)), clock, LogListener.NONE)) {
            for (int i = 0; i < count; i++) {
                StreamKey stream = i % 3 == 2 ? OTHER : STREAM;
                log.append(stream, batch(T0 + i, "record-" + i, "second-" + i));
                ends.add(Files.size(onlySegment(directory)));
            }
        }
        return ends;
    }

    private static Path onlySegment(Path directory) throws IOException {
        List<Path> segments = segments(directory);
        assertThat(segments).hasSize(1);
        return segments.get(0);
    }

    private static List<Path> segments(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".seg"))
                    .sorted()
                    .toList();
        }
    }

    /** The batches recovery kept, as "index" numbers in append order of STREAM and OTHER. */
    private List<String> recovered(Path directory) throws Exception {
        try (JournalLog log = JournalLog.open(config(directory, DataSize.ofMebibytes(1)), clock, LogListener.NONE)) {
            List<String> all = new ArrayList<>();
            for (StreamKey stream : List.of(STREAM, OTHER)) {
                try (JournalReader reader = log.openReader(stream, 0)) {
                    all.addAll(texts(drain(reader)));
                }
            }
            return all;
        }
    }

    private static List<String> expected(int batches) {
        List<String> ofStream = new ArrayList<>();
        List<String> ofOther = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            List<String> target = i % 3 == 2 ? ofOther : ofStream;
            target.add("record-" + i);
            target.add("second-" + i);
        }
        ofStream.addAll(ofOther);
        return ofStream;
    }

    private static int completeBatches(List<Long> ends, long length) {
        int complete = 0;
        while (complete < ends.size() && ends.get(complete) <= length) {
            complete++;
        }
        return complete;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    @Test
    void truncationAtEveryByteOfTheLastFramesKeepsExactlyTheCompleteFrames() throws Exception {
        Path original = root.resolve("original");
        List<Long> ends = writeBatches(original, 6);
        long from = ends.get(ends.size() - 3);
        long to = ends.get(ends.size() - 1);
        for (long cut = from; cut <= to; cut++) {
            Path damaged = copy(original, root.resolve("cut-" + cut));
            try (FileChannel file = FileChannel.open(onlySegment(damaged), StandardOpenOption.WRITE)) {
                file.truncate(cut);
            }

            assertThat(recovered(damaged))
                    .as("cut at %d", cut)
                    .containsExactlyElementsOf(expected(completeBatches(ends, cut)));
            assertThat(Files.size(onlySegment(damaged))).isEqualTo(ends.get(completeBatches(ends, cut) - 1));
        }
    }

    @Test
    void appendsAfterRecoveringATornTailContinueTheOffsets() throws Exception {
        Path directory = root.resolve("log");
        List<Long> ends = writeBatches(directory, 4);
        try (FileChannel file = FileChannel.open(onlySegment(directory), StandardOpenOption.WRITE)) {
            file.truncate(ends.get(3) - 5);
        }
        try (JournalLog log = JournalLog.open(config(directory, DataSize.ofMebibytes(1)), clock, LogListener.NONE)) {
            assertThat(log.append(STREAM, batch(T0, "again")).firstOffset()).isEqualTo(4);
        }
        try (JournalLog log = JournalLog.open(config(directory, DataSize.ofMebibytes(1)), clock, LogListener.NONE);
                JournalReader reader = log.openReader(STREAM, 0)) {
            assertThat(texts(drain(reader))).containsExactly("record-0", "second-0", "record-1", "second-1", "again");
        }
    }

    @Test
    void aFlippedBitInTheLastSegmentTruncatesAtTheDamagedFrame() throws Exception {
        Path original = root.resolve("original");
        List<Long> ends = writeBatches(original, 12);
        Random random = new Random(42);
        for (int round = 0; round < 40; round++) {
            long position = FrameFormat.SEGMENT_HEADER_SIZE + random.nextLong(ends.get(ends.size() - 1) - 16);
            int bit = random.nextInt(8);
            Path damaged = copy(original, root.resolve("flip-" + round));
            flipBit(onlySegment(damaged), position, bit);
            int intact = completeBatches(ends, position);

            assertThat(recovered(damaged))
                    .as("bit %d of byte %d", bit, position)
                    .containsExactlyElementsOf(expected(intact));
        }
    }

    @Test
    void damageInAnOlderSegmentSkipsTheRestOfThatSegmentOnlyAndKeepsTheFile() throws Exception {
        Path directory = root.resolve("log");
        LogConfig config = config(directory, DataSize.ofKibibytes(1));
        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE)) {
            for (int i = 0; i < 60; i++) {
                log.append(STREAM, batch(T0, String.format("%03d", i) + "-".repeat(40)));
            }
        }
        List<Path> files = segments(directory);
        assertThat(files.size()).isGreaterThan(3);
        Path older = files.get(1);
        byte[] before = Files.readAllBytes(older);
        flipBit(older, before.length / 2, 3);
        byte[] damagedBytes = Files.readAllBytes(older);

        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE);
                JournalReader reader = log.openReader(STREAM, 0)) {
            List<LogRecord> records = drain(reader);
            List<Long> offsets = records.stream().map(LogRecord::offset).toList();
            assertThat(offsets).isSorted().doesNotHaveDuplicates();
            assertThat(offsets).contains(0L, 59L);
            assertThat(offsets.size()).isLessThan(60).isGreaterThan(40);
            for (LogRecord record : records) {
                assertThat(TestRecords.text(record)).startsWith(String.format("%03d", record.offset()));
            }
            assertThat(log.append(STREAM, batch(T0, "next")).firstOffset()).isEqualTo(60);
        }
        assertThat(Files.readAllBytes(older)).isEqualTo(damagedBytes);
    }

    @Test
    void aNewestSegmentWithATornHeaderIsDeleted() throws Exception {
        Path directory = root.resolve("log");
        LogConfig config = config(directory, DataSize.ofKibibytes(1));
        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE)) {
            log.append(STREAM, batch(T0, "kept"));
        }
        Path torn = directory.resolve(FrameFormat.segmentFileName(7));
        Files.write(torn, new byte[] {0x53, 0x4C, 0x4F});

        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE);
                JournalReader reader = log.openReader(STREAM, 0)) {
            assertThat(texts(drain(reader))).containsExactly("kept");
            assertThat(torn).doesNotExist();
            assertThat(log.append(STREAM, batch(T0, "more")).firstOffset()).isEqualTo(1);
        }
    }

    @Test
    void anOlderSegmentWithABrokenHeaderIsSetAside() throws Exception {
        Path directory = root.resolve("log");
        LogConfig config = config(directory, DataSize.ofKibibytes(1));
        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE)) {
            for (int i = 0; i < 40; i++) {
                log.append(STREAM, batch(T0, String.format("%03d", i) + "-".repeat(40)));
            }
        }
        Path first = segments(directory).get(0);
        flipBit(first, 1, 0);

        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE);
                JournalReader reader = log.openReader(STREAM, 0)) {
            List<LogRecord> records = drain(reader);
            assertThat(records.get(0).offset()).isPositive();
            assertThat(records.get(records.size() - 1).offset()).isEqualTo(39);
        }
        assertThat(first).doesNotExist();
        assertThat(first.resolveSibling(first.getFileName() + ".corrupt")).exists();
    }

    @Test
    void tinySegmentsRollOverAndRestartKeepsCommittedOffsetsAndFreedSegments() throws Exception {
        Path directory = root.resolve("log");
        LogConfig config = config(directory, DataSize.ofKibibytes(1));
        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE)) {
            for (int i = 0; i < 100; i++) {
                log.append(i % 2 == 0 ? STREAM : OTHER, batch(T0, String.format("%03d", i) + "=".repeat(30)));
            }
            int segmentsBefore = segments(directory).size();
            log.commit(STREAM, 40);
            log.commit(OTHER, 45);
            assertThat(segments(directory).size()).isLessThan(segmentsBefore);
        }
        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE)) {
            assertThat(log.offsets(STREAM)).map(StreamOffsets::committed).hasValue(40L);
            assertThat(log.offsets(OTHER)).map(StreamOffsets::committed).hasValue(45L);
            try (JournalReader reader = log.openReader(STREAM)) {
                assertThat(drain(reader)).extracting(LogRecord::offset).first().isEqualTo(40L);
            }
            log.commit(STREAM, 50);
            log.commit(OTHER, 50);
        }
        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE)) {
            assertThat(segments(directory)).isEmpty();
            assertThat(log.offsets(STREAM)).hasValue(new StreamOffsets(50, 50, 50));
            assertThat(log.append(STREAM, batch(T0, "after")).firstOffset()).isEqualTo(50);
        }
    }

    @Test
    void aFreedSegmentLeftBehindIsNeverReadAndIsDeletedAfterTheNextStart() throws Exception {
        Path directory = root.resolve("log");
        writeBatches(directory, 2);
        Path segment = onlySegment(directory);
        Path freed = segment.resolveSibling(FrameFormat.segmentFileName(9) + SegmentReclaimer.FREE_SUFFIX);
        Files.copy(segment, freed);

        try (JournalLog log = JournalLog.open(config(directory, DataSize.ofMebibytes(1)), clock, LogListener.NONE);
                JournalReader reader = log.openReader(STREAM, 0)) {
            assertThat(texts(drain(reader))).containsExactly("record-0", "second-0", "record-1", "second-1");
            await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(freed));
        }
        assertThat(onlySegment(directory)).isEqualTo(segment);
    }

    @Test
    void aDamagedCheckpointIsSetAsideAndEverythingHeldIsDeliveredAgain() throws Exception {
        Path directory = root.resolve("log");
        LogConfig config = config(directory, DataSize.ofMebibytes(1));
        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE)) {
            log.append(STREAM, batch(T0, "a", "b"));
            log.commit(STREAM, 1);
        }
        Path checkpoint = directory.resolve(Checkpoint.FILE_NAME);
        flipBit(checkpoint, 6, 2);
        Files.writeString(directory.resolve(Checkpoint.FILE_NAME + ".tmp"), "left over from a crash");

        try (JournalLog log = JournalLog.open(config, clock, LogListener.NONE);
                JournalReader reader = log.openReader(STREAM)) {
            assertThat(texts(drain(reader))).containsExactly("a", "b");
        }
        assertThat(directory.resolve(Checkpoint.FILE_NAME + ".corrupt")).exists();
        assertThat(directory.resolve(Checkpoint.FILE_NAME + ".tmp")).doesNotExist();
    }

    private static void flipBit(Path file, long position, int bit) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte value = (byte) (one.get(0) ^ (1 << bit));
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {value}), position);
        }
    }
}
