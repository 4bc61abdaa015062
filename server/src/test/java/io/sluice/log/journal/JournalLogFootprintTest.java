package io.sluice.log.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.DataSize;
import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import io.sluice.log.LogRecord;
import io.sluice.log.StreamKey;
import io.sluice.testing.ManualClock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the log costs beyond the payload: bytes on disk per record, heap per byte of backlog. */
class JournalLogFootprintTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long GIB = 1L << 30;

    @TempDir
    Path directory;

    private JournalLog open(DataSize segmentSize) throws Exception {
        LogConfig config = LogConfig.defaults(directory)
                .withSegmentSize(segmentSize)
                .withMaxLogSize(DataSize.ofGibibytes(1))
                .withFsyncPolicy(FsyncPolicy.interval(Duration.ofSeconds(1)));
        return JournalLog.open(config, new ManualClock(Instant.ofEpochMilli(T0)), LogListener.NONE);
    }

    private static List<AppendRecord> records(int count, int size, int flags) {
        List<AppendRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(new AppendRecord(ByteBuffer.allocate(size), T0 + (i % 3), flags));
        }
        return records;
    }

    private static double overhead(JournalLog log, List<AppendRecord> batch, int batches) throws Exception {
        long payload = 0;
        for (int i = 0; i < batches; i++) {
            log.append(new StreamKey("stream-" + (i % 4)), batch);
            payload += batch.stream().mapToLong(r -> r.payload().remaining()).sum();
        }
        return (double) log.stats().bytesWritten() / payload;
    }

    @Test
    void batchesOf500OneKibibyteRecordsCostAtMostFivePercent() throws Exception {
        try (JournalLog log = open(DataSize.ofMebibytes(4))) {
            assertThat(overhead(log, records(500, 1024, 1), 12))
                    .isLessThan(1.05)
                    .isLessThan(1.01);
        }
    }

    @Test
    void batchesOf500HundredByteRecordsCostLittle() throws Exception {
        try (JournalLog log = open(DataSize.ofMebibytes(4))) {
            assertThat(overhead(log, records(500, 100, 0), 12)).isLessThan(1.03);
        }
    }

    @Test
    void indexStaysSmallPerGibibyteEvenWithSingleRecordBatches() throws Exception {
        int streams = 4;
        int appends = 60_000;
        try (JournalLog log = open(DataSize.ofMebibytes(16))) {
            List<CompletableFuture<AppendResult>> pending = new ArrayList<>();
            for (int i = 0; i < appends; i++) {
                pending.add(log.appendAsync(new StreamKey("stream-" + (i % streams)), records(1, 100, 0)));
                if (pending.size() == 5_000) {
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                            .join();
                    pending.clear();
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();

            long disk = log.stats().diskBytes();
            double indexPerGib = (double) log.indexBytes() * GIB / disk;
            assertThat(disk).isGreaterThan((long) appends * 100);
            assertThat(indexPerGib).as("index bytes per GiB of log").isLessThan(2.0 * (1 << 20));
            try (JournalReader reader = log.openReader(new StreamKey("stream-3"), 1234)) {
                List<LogRecord> records = TestRecords.drain(reader);
                assertThat(records).hasSize(appends / streams - 1234);
                assertThat(records.get(0).offset()).isEqualTo(1234);
            }
        }
    }
}
