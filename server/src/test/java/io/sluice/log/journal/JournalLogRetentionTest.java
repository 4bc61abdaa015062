package io.sluice.log.journal;

import static io.sluice.log.journal.TestRecords.batch;
import static io.sluice.log.journal.TestRecords.drain;
import static io.sluice.log.journal.TestRecords.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.DataSize;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamOffsets;
import io.sluice.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention and freeing of segments, driven by a hand-moved clock. */
class JournalLogRetentionTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final StreamKey DELIVERED = new StreamKey("delivered");
    private static final StreamKey STUCK = new StreamKey("stuck");

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(START);
    private final List<ExpiredData> expired = new CopyOnWriteArrayList<>();
    private final LogListener listener = new LogListener() {
        @Override
        public void expired(ExpiredData data) {
            expired.add(data);
        }
    };

    private LogConfig config() {
        return LogConfig.defaults(directory)
                .withSegmentSize(DataSize.ofKibibytes(1))
                .withMaxLogSize(DataSize.ofMebibytes(8))
                .withRetention(Duration.ofHours(1));
    }

    private JournalLog open() throws IOException {
        return JournalLog.open(config(), clock, listener);
    }

    private long now() {
        return clock.millis();
    }

    private int segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return (int) files.filter(file -> file.toString().endsWith(".seg")).count();
        }
    }

    @Test
    void expiredUndeliveredDataIsDroppedCountedAndItsSegmentsFreed() throws Exception {
        try (JournalLog log = open()) {
            for (int i = 0; i < 10; i++) {
                log.append(DELIVERED, batch(now(), "d" + i + "-".repeat(100)));
                log.append(STUCK, batch(now(), String.format("s%02d", i) + "-".repeat(100)));
            }
            log.commit(DELIVERED, 10);
            log.commit(STUCK, 3);
            assertThat(segmentFiles()).isGreaterThan(1);

            clock.advance(Duration.ofMinutes(59));
            log.enforceRetention();
            assertThat(expired).isEmpty();

            clock.advance(Duration.ofMinutes(2));
            log.enforceRetention();

            assertThat(expired).containsExactly(new ExpiredData(STUCK, 3, 7, 7 * 103));
            assertThat(segmentFiles()).isZero();
            assertThat(log.offsets(STUCK)).hasValue(new StreamOffsets(10, 3, 10));
            try (JournalReader reader = log.openReader(STUCK)) {
                assertThat(reader.availableRecords()).isZero();
                assertThat(reader.next()).isEmpty();
                assertThat(reader.position()).isEqualTo(10);
            }
            assertThat(log.append(STUCK, batch(now(), "fresh")).firstOffset()).isEqualTo(10);
        }
        try (JournalLog log = open();
                JournalReader reader = log.openReader(STUCK)) {
            assertThat(log.offsets(STUCK)).hasValue(new StreamOffsets(10, 3, 11));
            assertThat(texts(drain(reader))).containsExactly("fresh");
            assertThat(expired).hasSize(1);
        }
    }

    @Test
    void onlySegmentsWhollyOlderThanTheRetentionExpire() throws Exception {
        try (JournalLog log = open()) {
            for (int i = 0; i < 8; i++) {
                log.append(STUCK, batch(now(), "old" + i + "-".repeat(200)));
            }
            clock.advance(Duration.ofMinutes(40));
            for (int i = 0; i < 8; i++) {
                log.append(STUCK, batch(now(), "new" + i + "-".repeat(200)));
            }
            clock.advance(Duration.ofMinutes(30));
            log.enforceRetention();

            long dropped = expired.stream().mapToLong(ExpiredData::records).sum();
            assertThat(dropped).isBetween(4L, 8L);
            try (JournalReader reader = log.openReader(STUCK)) {
                List<String> left = texts(drain(reader));
                assertThat(left).hasSize((int) (16 - dropped));
                assertThat(left).last().asString().startsWith("new7");
                assertThat(left.stream().filter(text -> text.startsWith("new"))).hasSize(8);
            }
        }
    }

    @Test
    void theActiveSegmentIsSealedAndDroppedWhenItExpires() throws Exception {
        try (JournalLog log = open()) {
            log.append(STUCK, batch(now(), "a", "bb"));
            assertThat(segmentFiles()).isEqualTo(1);

            clock.advance(Duration.ofHours(2));
            log.enforceRetention();

            assertThat(expired).containsExactly(new ExpiredData(STUCK, 0, 2, 3));
            assertThat(segmentFiles()).isZero();
            assertThat(log.append(STUCK, batch(now(), "c")).firstOffset()).isEqualTo(2);
            assertThat(segmentFiles()).isEqualTo(1);
        }
    }

    @Test
    void expiryCountsExactBytesFromACommitInsideAFrame() throws Exception {
        try (JournalLog log = open()) {
            log.append(STUCK, batch(now(), "one", "three", "seven77", "x"));
            log.commit(STUCK, 2);
            clock.advance(Duration.ofHours(2));
            log.enforceRetention();

            assertThat(expired).containsExactly(new ExpiredData(STUCK, 2, 2, 8));
        }
    }

    @Test
    void committedDataFreesSegmentsInAnyOrder() throws Exception {
        try (JournalLog log = open()) {
            for (int i = 0; i < 6; i++) {
                log.append(STUCK, batch(now(), "s" + i + "-".repeat(400)));
            }
            for (int i = 0; i < 6; i++) {
                log.append(DELIVERED, batch(now(), "d" + i + "-".repeat(400)));
            }
            log.append(STUCK, batch(now(), "tail"));
            int before = segmentFiles();

            log.commit(DELIVERED, 6);

            assertThat(segmentFiles()).isLessThan(before);
            assertThat(expired).isEmpty();
            try (JournalReader reader = log.openReader(STUCK)) {
                assertThat(drain(reader)).hasSize(7);
            }
        }
    }

    @Test
    void aReaderBehindTheRetentionSkipsToWhatIsLeft() throws Exception {
        try (JournalLog log = open()) {
            for (int i = 0; i < 6; i++) {
                log.append(STUCK, batch(now(), "old" + i + "-".repeat(300)));
            }
            JournalReader reader = log.openReader(STUCK);
            assertThat(reader.next())
                    .map(TestRecords::text)
                    .hasValueSatisfying(text -> assertThat(text).startsWith("old0"));
            clock.advance(Duration.ofHours(2));
            log.append(STUCK, batch(now(), "new"));
            log.enforceRetention();

            List<LogRecord> rest = drain(reader);
            assertThat(rest).isNotEmpty();
            assertThat(TestRecords.text(rest.get(rest.size() - 1))).isEqualTo("new");
            assertThat(rest.get(rest.size() - 1).offset()).isEqualTo(6);
            reader.close();
        }
    }
}
