package io.sluice.log.journal;

import static io.sluice.log.journal.TestRecords.batch;
import static io.sluice.log.journal.TestRecords.drain;
import static io.sluice.log.journal.TestRecords.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.DataSize;
import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import io.sluice.log.LogClosedException;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamDeletedException;
import io.sluice.log.StreamKey;
import io.sluice.log.StreamOffsets;
import io.sluice.testing.ManualClock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalLogTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));

    private JournalLog open(LogConfig config) throws Exception {
        return JournalLog.open(config, clock, LogListener.NONE);
    }

    private LogConfig config() {
        return LogConfig.defaults(directory)
                .withSegmentSize(DataSize.ofKibibytes(64))
                .withMaxLogSize(DataSize.ofMebibytes(64));
    }

    @Test
    void appendsAndReadsBackInOrderWithOffsets() throws Exception {
        StreamKey stream = new StreamKey("orders");
        try (JournalLog log = open(config())) {
            AppendResult first = log.append(stream, batch(T0, "a", "b"));
            AppendResult second = log.append(stream, batch(T0 + 5, "c"));

            assertThat(first).isEqualTo(new AppendResult(0, 2));
            assertThat(second).isEqualTo(new AppendResult(2, 1));
            try (JournalReader reader = log.openReader(stream)) {
                assertThat(reader.availableRecords()).isEqualTo(3);
                assertThat(reader.availableBytes()).isEqualTo(3);
                assertThat(reader.firstUnreadArrivalMillis()).hasValue(T0);
                List<LogRecord> records = drain(reader);
                assertThat(texts(records)).containsExactly("a", "b", "c");
                assertThat(records).extracting(LogRecord::offset).containsExactly(0L, 1L, 2L);
                assertThat(records).extracting(LogRecord::arrivalMillis).containsExactly(T0, T0, T0 + 5);
                assertThat(reader.availableRecords()).isZero();
                assertThat(reader.availableBytes()).isZero();
                assertThat(reader.firstUnreadArrivalMillis()).isEmpty();
            }
        }
    }

    @Test
    void keepsFlagsAndArrivalPerRecord() throws Exception {
        StreamKey stream = new StreamKey("mixed");
        try (JournalLog log = open(config())) {
            log.append(
                    stream,
                    List.of(
                            new AppendRecord(ByteBuffer.wrap(new byte[] {1}), T0 + 7, 1),
                            new AppendRecord(ByteBuffer.wrap(new byte[0]), T0, 0),
                            new AppendRecord(ByteBuffer.wrap(new byte[] {3, 4}), T0 + 1_000_000, 255)));
            try (JournalReader reader = log.openReader(stream)) {
                List<LogRecord> records = drain(reader);
                assertThat(records).extracting(LogRecord::flags).containsExactly(1, 0, 255);
                assertThat(records).extracting(LogRecord::arrivalMillis).containsExactly(T0 + 7, T0, T0 + 1_000_000);
                assertThat(records.get(2).payloadBytes()).containsExactly(3, 4);
            }
        }
    }

    @Test
    void readerFollowsNewAppends() throws Exception {
        StreamKey stream = new StreamKey("tail");
        try (JournalLog log = open(config());
                JournalReader reader = log.openReader(stream)) {
            assertThat(reader.next()).isEmpty();
            log.append(stream, batch(T0, "one"));
            assertThat(reader.availableBytes()).isEqualTo(3);
            assertThat(reader.next()).map(TestRecords::text).hasValue("one");
            assertThat(reader.next()).isEmpty();
            log.append(stream, batch(T0, "two", "three"));
            assertThat(reader.availableRecords()).isEqualTo(2);
            assertThat(reader.availableBytes()).isEqualTo(8);
            assertThat(texts(drain(reader))).containsExactly("two", "three");
        }
    }

    @Test
    void roundTripsManyThreadsAcrossManyStreamsExactlyOnceInOrder() throws Exception {
        int streams = 40;
        int threads = 16;
        int batchesPerThread = 60;
        LogConfig config = config().withSegmentSize(DataSize.ofKibibytes(4));
        Map<StreamKey, List<String>> acknowledged = new ConcurrentHashMap<>();
        try (JournalLog log = open(config);
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int b = 0; b < batchesPerThread; b++) {
                        StreamKey stream = new StreamKey("s" + ((thread * 7 + b) % streams));
                        int size = 1 + (b % 5);
                        String[] payloads = new String[size];
                        for (int r = 0; r < size; r++) {
                            payloads[r] = thread + "-" + b + "-" + r;
                        }
                        AppendResult result = log.append(stream, batch(T0, payloads));
                        assertThat(result.recordCount()).isEqualTo(size);
                        synchronized (acknowledged) {
                            List<String> list = acknowledged.computeIfAbsent(stream, key -> new ArrayList<>());
                            for (int r = 0; r < size; r++) {
                                list.add(result.firstOffset() + r + ":" + payloads[r]);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            assertThat(log.stats().segments()).isGreaterThan(5);
            assertThat(log.stats().fsyncs()).isLessThan((long) threads * batchesPerThread);
            assertEveryStreamReadsBack(log, acknowledged);
        }
        try (JournalLog reopened = open(config)) {
            assertEveryStreamReadsBack(reopened, acknowledged);
        }
    }

    private static void assertEveryStreamReadsBack(JournalLog log, Map<StreamKey, List<String>> acknowledged) {
        acknowledged.forEach((stream, expected) -> {
            try (JournalReader reader = log.openReader(stream, 0)) {
                List<String> actual = drain(reader).stream()
                        .map(record -> record.offset() + ":" + TestRecords.text(record))
                        .toList();
                assertThat(actual).as("stream %s", stream).containsExactlyInAnyOrderElementsOf(expected);
                assertThat(actual)
                        .as("stream %s in offset order", stream)
                        .isSortedAccordingTo((a, b) -> Long.compare(
                                Long.parseLong(a.substring(0, a.indexOf(':'))),
                                Long.parseLong(b.substring(0, b.indexOf(':')))));
            }
        });
    }

    @Test
    void committedOffsetsSurviveRestartAndReadersResumeThere() throws Exception {
        StreamKey stream = new StreamKey("resume");
        try (JournalLog log = open(config())) {
            log.append(stream, batch(T0, "a", "b", "c", "d"));
            log.commit(stream, 3);
            log.commit(stream, 1);
        }
        try (JournalLog log = open(config())) {
            assertThat(log.offsets(stream)).hasValue(new StreamOffsets(0, 3, 4));
            try (JournalReader reader = log.openReader(stream)) {
                assertThat(reader.position()).isEqualTo(3);
                assertThat(reader.availableBytes()).isEqualTo(1);
                assertThat(texts(drain(reader))).containsExactly("d");
            }
            assertThat(log.append(stream, batch(T0, "e")).firstOffset()).isEqualTo(4);
        }
    }

    @Test
    void readsFromAnyOffsetAcrossSegmentsAndIndexEntries() throws Exception {
        StreamKey stream = new StreamKey("seek");
        StreamKey other = new StreamKey("noise");
        LogConfig config = config().withSegmentSize(DataSize.ofKibibytes(8));
        try (JournalLog log = open(config)) {
            for (int i = 0; i < 1500; i++) {
                log.appendAsync(stream, batch(T0, "r" + i));
                log.appendAsync(other, batch(T0, "n" + i));
            }
            log.append(stream, batch(T0, "last"));
            for (long from : new long[] {0, 1, 255, 256, 257, 700, 1499, 1500}) {
                try (JournalReader reader = log.openReader(stream, from)) {
                    List<LogRecord> records = drain(reader);
                    assertThat(records).hasSize((int) (1501 - from));
                    assertThat(records.get(0).offset()).isEqualTo(from);
                    assertThat(TestRecords.text(records.get(records.size() - 1)))
                            .isEqualTo("last");
                }
            }
        }
    }

    @Test
    void aReaderThatReleasesItsBuffersAnywhereReadsOnExactlyWhereItWas() throws Exception {
        StreamKey stream = new StreamKey("idle");
        StreamKey other = new StreamKey("noise");
        LogConfig config = config().withSegmentSize(DataSize.ofKibibytes(8));
        List<String> expected = new ArrayList<>();
        try (JournalLog log = open(config)) {
            for (int i = 0; i < 300; i++) {
                List<String> texts = List.of("r" + i + "a", "r" + i + "b", "r" + i + "c");
                expected.addAll(texts);
                log.appendAsync(stream, batch(T0 + i, texts.toArray(String[]::new)));
                log.appendAsync(other, batch(T0, "n" + i));
            }
            log.append(other, batch(T0, "end"));
            try (JournalReader reader = log.openReader(stream)) {
                List<String> read = new ArrayList<>();
                long bytesBefore = reader.availableBytes();
                for (int i = 0; reader.peek().isPresent(); i++) {
                    if (i % 2 == 0) {
                        reader.releaseBuffers();
                        assertThat(reader.availableBytes()).isEqualTo(bytesBefore);
                        assertThat(reader.firstUnreadArrivalMillis()).isPresent();
                    }
                    if (i % 7 == 3) {
                        reader.releaseBuffers();
                    }
                    LogRecord record = reader.next().orElseThrow();
                    assertThat(record.offset()).isEqualTo(i);
                    read.add(TestRecords.text(record));
                    bytesBefore -= record.payload().remaining();
                }
                assertThat(read).isEqualTo(expected);
                assertThat(reader.availableBytes()).isZero();
            }
        }
    }

    @Test
    void payloadViewsReadBackWhatWasAppendedWhenUsedBeforeReadingOn() throws Exception {
        StreamKey stream = new StreamKey("views");
        StreamKey other = new StreamKey("noise");
        LogConfig config = config().withSegmentSize(DataSize.ofKibibytes(256));
        Random random = new Random(11);
        List<byte[]> expected = new ArrayList<>();
        try (JournalLog log = open(config)) {
            for (int i = 0; i < 200; i++) {
                List<AppendRecord> batch = new ArrayList<>();
                for (int r = 0; r < 1 + i % 4; r++) {
                    byte[] data = new byte[i % 50 == 0 ? 90_000 : random.nextInt(0, 2_000)];
                    random.nextBytes(data);
                    expected.add(data);
                    batch.add(AppendRecord.of(data, T0));
                }
                log.appendAsync(stream, batch);
                log.appendAsync(other, batch(T0, "n" + i));
            }
            log.append(other, batch(T0, "end"));
            try (JournalReader reader = log.openReader(stream)) {
                List<byte[]> read = new ArrayList<>();
                Optional<LogRecord> next;
                while ((next = reader.next()).isPresent()) {
                    read.add(next.get().payloadBytes());
                }
                assertThat(read).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void framesLargerThanEveryBufferRoundTripAndRecover() throws Exception {
        StreamKey stream = new StreamKey("große Dinge ✓");
        byte[] big = new byte[6 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(big);
        LogConfig config = config().withSegmentSize(DataSize.ofMebibytes(1)).withMaxLogSize(DataSize.ofMebibytes(64));
        try (JournalLog log = open(config)) {
            log.append(stream, batch(T0, "small"));
            log.append(stream, List.of(AppendRecord.of(big, T0), AppendRecord.of(new byte[70_000], T0)));
            log.append(stream, batch(T0, "after"));
        }
        try (JournalLog log = open(config);
                JournalReader reader = log.openReader(stream)) {
            List<LogRecord> records = drain(reader);
            assertThat(records).hasSize(4);
            assertThat(records.get(1).payloadBytes()).isEqualTo(big);
            assertThat(records.get(2).payload().remaining()).isEqualTo(70_000);
            assertThat(TestRecords.text(records.get(3))).isEqualTo("after");
        }
    }

    @Test
    void batchesThatDoNotFitAFrameAreRefused() throws Exception {
        try (JournalLog log = open(config())) {
            List<AppendRecord> huge = List.of(
                    AppendRecord.of(new byte[9 * 1024 * 1024], T0), AppendRecord.of(new byte[9 * 1024 * 1024], T0));
            assertThatThrownBy(() -> log.append(new StreamKey("s"), huge)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(new StreamKey("s"), List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void tailReadersSeeCompleteBatchesInOrderWhileAppendsGoOn() throws Exception {
        StreamKey stream = new StreamKey("live");
        int batches = 400;
        try (JournalLog log = open(config().withSegmentSize(DataSize.ofKibibytes(4)));
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < batches; i++) {
                    log.append(stream, batch(T0, i + ".0", i + ".1", i + ".2"));
                }
                return null;
            });
            List<Future<List<String>>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(pool.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    try (JournalReader reader = log.openReader(stream, 0)) {
                        while (seen.size() < batches * 3) {
                            var record = reader.next();
                            if (record.isEmpty()) {
                                assertThat(seen.size() % 3)
                                        .as("only whole batches are visible")
                                        .isZero();
                                Thread.sleep(1);
                                continue;
                            }
                            assertThat(record.get().offset()).isEqualTo(seen.size());
                            seen.add(TestRecords.text(record.get()));
                        }
                    }
                    return seen;
                }));
            }
            writer.get();
            for (Future<List<String>> reader : readers) {
                List<String> seen = reader.get();
                assertThat(seen).hasSize(batches * 3);
                assertThat(seen.get(seen.size() - 1)).isEqualTo((batches - 1) + ".2");
            }
        }
    }

    @Test
    void commitBeyondTheEndIsRefused() throws Exception {
        StreamKey stream = new StreamKey("short");
        try (JournalLog log = open(config())) {
            log.append(stream, batch(T0, "a"));
            assertThatThrownBy(() -> log.commit(stream, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.openReader(stream, 2)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void deletedStreamFreesItsSegmentsAndRefusesAppendsAndReaders() throws Exception {
        StreamKey doomed = new StreamKey("doomed");
        StreamKey kept = new StreamKey("kept");
        LogConfig config = config().withSegmentSize(DataSize.ofKibibytes(1));
        try (JournalLog log = open(config)) {
            for (int i = 0; i < 50; i++) {
                log.append(doomed, batch(T0, "x".repeat(100)));
            }
            log.append(kept, batch(T0, "keep"));
            int before = log.stats().segments();
            log.deleteStream(doomed);

            assertThat(log.stats().segments()).isLessThan(before);
            assertThatThrownBy(() -> log.append(doomed, batch(T0, "late"))).isInstanceOf(StreamDeletedException.class);
            assertThatThrownBy(() -> log.openReader(doomed)).isInstanceOf(StreamDeletedException.class);
        }
        try (JournalLog log = open(config)) {
            assertThatThrownBy(() -> log.append(doomed, batch(T0, "late"))).isInstanceOf(StreamDeletedException.class);
            try (JournalReader reader = log.openReader(kept)) {
                assertThat(texts(drain(reader))).containsExactly("keep");
            }
        }
    }

    @Test
    void secondOpenOfTheSameDirectoryIsRefused() throws Exception {
        try (JournalLog log = open(config())) {
            assertThatThrownBy(() -> open(config()))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("already open");
        }
    }

    @Test
    void closedLogRefusesWork() throws Exception {
        JournalLog log = open(config());
        log.close();
        assertThatThrownBy(() -> log.append(new StreamKey("s"), batch(T0, "a"))).isInstanceOf(LogClosedException.class);
    }
}
