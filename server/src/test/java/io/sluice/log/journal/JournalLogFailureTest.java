package io.sluice.log.journal;

import static io.sluice.log.journal.TestRecords.batch;
import static io.sluice.log.journal.TestRecords.drain;
import static io.sluice.log.journal.TestRecords.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.DataSize;
import io.sluice.log.AppendResult;
import io.sluice.log.LogFullException;
import io.sluice.log.LogRecord;
import io.sluice.log.LogWriteException;
import io.sluice.log.StreamKey;
import io.sluice.testing.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit, the disk budget and failing disks. */
class JournalLogFailureTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final StreamKey STREAM = new StreamKey("orders");

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    private final FaultyChannels channels = new FaultyChannels();

    private LogConfig config() {
        return LogConfig.defaults(directory)
                .withSegmentSize(DataSize.ofKibibytes(4))
                .withMaxLogSize(DataSize.ofMebibytes(1));
    }

    private JournalLog open(LogConfig config) throws Exception {
        return JournalLog.open(config, clock, LogListener.NONE, channels);
    }

    @Test
    void appendsQueuedDuringAnFsyncShareTheNextOne() throws Exception {
        try (JournalLog log = open(config().withSegmentSize(DataSize.ofKibibytes(512)))) {
            CountDownLatch blocked = channels.closeGate();
            CompletableFuture<AppendResult> first = log.appendAsync(new StreamKey("first"), batch(T0, "x"));
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<AppendResult>> waiting = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                waiting.add(log.appendAsync(new StreamKey("stream-" + (i % 50)), batch(T0, "record " + i)));
            }
            channels.openGate();
            first.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<AppendResult> append : waiting) {
                append.get(10, TimeUnit.SECONDS);
            }

            LogStats stats = log.stats();
            assertThat(stats.appendedBatches()).isEqualTo(201);
            assertThat(stats.groups()).isEqualTo(2);
            assertThat(stats.fsyncs()).isEqualTo(2);
        }
    }

    @Test
    void intervalPolicyAcknowledgesWithoutFsyncAndForcesOnClose() throws Exception {
        LogConfig config = config().withFsyncPolicy(FsyncPolicy.interval(java.time.Duration.ofHours(1)));
        JournalLog log = open(config);
        for (int i = 0; i < 10; i++) {
            log.append(STREAM, batch(T0, "r" + i));
        }
        assertThat(log.stats().fsyncs()).isZero();
        try (JournalReader reader = log.openReader(STREAM)) {
            assertThat(drain(reader)).hasSize(10);
        }
        log.close();
        assertThat(log.stats().fsyncs()).isEqualTo(1);
    }

    @Test
    void intervalPolicyForcesWithinTheInterval() throws Exception {
        LogConfig config = config().withFsyncPolicy(FsyncPolicy.interval(java.time.Duration.ofMillis(20)));
        try (JournalLog log = open(config)) {
            log.append(STREAM, batch(T0, "r"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (log.stats().fsyncs() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(log.stats().fsyncs()).isEqualTo(1);
        }
    }

    @Test
    void fullBudgetFailsFastUntilCommitsFreeSegments() throws Exception {
        LogConfig config = config().withSegmentSize(DataSize.ofKibibytes(2)).withMaxLogSize(DataSize.ofKibibytes(8));
        String payload = "p".repeat(300);
        try (JournalLog log = open(config)) {
            long appended = 0;
            LogFullException full = null;
            while (full == null) {
                try {
                    appended = log.append(STREAM, batch(T0, payload)).endOffset();
                } catch (LogFullException e) {
                    full = e;
                }
            }
            assertThat(full).hasMessageContaining("full");
            assertThat(appended).isGreaterThan(10);
            assertThat(log.stats().diskBytes()).isLessThanOrEqualTo(8 * 1024);
            assertThatThrownBy(() -> log.appendAsync(STREAM, batch(T0, payload)))
                    .isInstanceOf(LogFullException.class);

            log.commit(STREAM, appended);

            assertThat(log.append(STREAM, batch(T0, payload)).firstOffset()).isEqualTo(appended);
            try (JournalReader reader = log.openReader(STREAM)) {
                assertThat(drain(reader)).extracting(LogRecord::offset).containsExactly(appended);
            }
        }
    }

    @Test
    void aFailedWriteIsNotAcknowledgedAndLeavesTheLogIntact() throws Exception {
        try (JournalLog log = open(config())) {
            log.append(STREAM, batch(T0, "before"));
            channels.failWrites(1);

            assertThatThrownBy(() -> log.append(STREAM, batch(T0, "lost", "too")))
                    .isInstanceOf(LogWriteException.class)
                    .hasMessageContaining("No space left on device");

            assertThat(log.append(STREAM, batch(T0, "after")).firstOffset()).isEqualTo(1);
            assertThat(log.stats().failedGroups()).isEqualTo(1);
            try (JournalReader reader = log.openReader(STREAM)) {
                assertThat(texts(drain(reader))).containsExactly("before", "after");
            }
        }
        assertReopensWith("before", "after");
    }

    @Test
    void aFailedFsyncIsNotAcknowledgedAndLeavesTheLogIntact() throws Exception {
        try (JournalLog log = open(config())) {
            log.append(STREAM, batch(T0, "before"));
            channels.failForces(1);

            assertThatThrownBy(() -> log.append(STREAM, batch(T0, "lost"))).isInstanceOf(LogWriteException.class);

            assertThat(log.append(STREAM, batch(T0, "after")).firstOffset()).isEqualTo(1);
        }
        assertReopensWith("before", "after");
    }

    @Test
    void aSegmentThatCannotBeCreatedFailsTheAppendOnly() throws Exception {
        try (JournalLog log = open(config())) {
            log.append(STREAM, batch(T0, "before"));
            channels.failOpens(1);
            String big = "b".repeat(5000);

            assertThatThrownBy(() -> log.append(STREAM, batch(T0, big))).isInstanceOf(LogWriteException.class);

            assertThat(log.append(STREAM, batch(T0, "after")).firstOffset()).isEqualTo(1);
        }
        assertReopensWith("before", "after");
    }

    @Test
    void whenTruncationAlsoFailsTheWriterRepairsBeforeWritingAgain() throws Exception {
        try (JournalLog log = open(config())) {
            log.append(STREAM, batch(T0, "before"));
            channels.failWrites(1);
            channels.failTruncates(2);

            assertThatThrownBy(() -> log.append(STREAM, batch(T0, "lost"))).isInstanceOf(LogWriteException.class);
            assertThatThrownBy(() -> log.append(STREAM, batch(T0, "refused while broken")))
                    .isInstanceOf(LogWriteException.class);

            assertThat(log.append(STREAM, batch(T0, "after")).firstOffset()).isEqualTo(1);
        }
        assertReopensWith("before", "after");
    }

    @Test
    void aFailureInAGroupThatRolledSegmentsRollsBackAllOfIt() throws Exception {
        StreamKey other = new StreamKey("other");
        try (JournalLog log = open(config().withSegmentSize(DataSize.ofKibibytes(1)))) {
            log.append(STREAM, batch(T0, "before"));
            CountDownLatch blocked = channels.closeGate();
            CompletableFuture<AppendResult> held = log.appendAsync(other, batch(T0, "held"));
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<AppendResult>> group = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                group.add(log.appendAsync(STREAM, batch(T0, "g" + i + "-".repeat(300))));
            }
            int segmentsBefore = log.stats().segments();
            channels.failWriteAfter(2);
            channels.openGate();

            assertThat(held.get(10, TimeUnit.SECONDS).firstOffset()).isZero();
            for (CompletableFuture<AppendResult> append : group) {
                assertThatThrownBy(() -> append.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LogWriteException.class);
            }
            assertThat(log.stats().segments()).isEqualTo(segmentsBefore);
            assertThat(log.append(STREAM, batch(T0, "after")).firstOffset()).isEqualTo(1);
            try (JournalReader reader = log.openReader(other)) {
                assertThat(texts(drain(reader))).containsExactly("held");
            }
        }
        assertReopensWith("before", "after");
    }

    @Test
    void aThrowingListenerNeverUndoesDurableAppends() throws Exception {
        LogListener throwing = new LogListener() {
            @Override
            public void groupWritten(int batches, long bytes, java.time.Duration fsync) {
                throw new IllegalStateException("metrics are broken");
            }
        };
        try (JournalLog log = JournalLog.open(config(), clock, throwing, channels)) {
            assertThat(log.append(STREAM, batch(T0, "before")).firstOffset()).isZero();
            assertThat(log.append(STREAM, batch(T0, "after")).firstOffset()).isEqualTo(1);
            assertThat(log.stats().failedGroups()).isZero();
        }
        assertReopensWith("before", "after");
    }

    private void assertReopensWith(String... expected) throws Exception {
        try (JournalLog log = JournalLog.open(config(), clock, LogListener.NONE);
                JournalReader reader = log.openReader(STREAM, 0)) {
            List<LogRecord> records = drain(reader);
            assertThat(texts(records)).containsExactly(expected);
            assertThat(records).extracting(LogRecord::offset).isSorted().doesNotHaveDuplicates();
            assertThat(records.get(records.size() - 1).offset()).isEqualTo(expected.length - 1);
        }
    }
}
