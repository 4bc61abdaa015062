package io.sluice.jmh;

import io.sluice.common.DataSize;
import io.sluice.log.AppendRecord;
import io.sluice.log.AppendResult;
import io.sluice.log.RecordLog;
import io.sluice.log.StreamKey;
import io.sluice.log.journal.FsyncPolicy;
import io.sluice.log.journal.JournalLog;
import io.sluice.log.journal.LogConfig;
import io.sluice.log.journal.LogListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending a batch of 500 records to the record log (the local journal, through the port) and
 * waiting until it is durable, from several threads so group commit shares fsyncs. Segments of 64 MiB; a commit after each append frees them,
 * so the benchmark does not fill the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(8)
public class RecordLogAppendBenchmark {
    @Param({"100", "1024"})
    int recordSize;

    @Param({"always", "interval"})
    String fsync;

    private Path directory;
    private RecordLog log;
    private List<AppendRecord> batch;
    private final StreamKey stream = new StreamKey("bench");

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("sluice-jmh-log-");
        FsyncPolicy policy = fsync.equals("always") ? FsyncPolicy.ALWAYS : FsyncPolicy.interval(Duration.ofMillis(100));
        log = JournalLog.open(
                LogConfig.defaults(directory)
                        .withSegmentSize(DataSize.ofMebibytes(64))
                        .withFsyncPolicy(policy),
                Clock.systemUTC(),
                LogListener.NONE);
        SplittableRandom random = new SplittableRandom(1);
        batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[recordSize];
            random.nextBytes(data);
            batch.add(new AppendRecord(ByteBuffer.wrap(data), System.currentTimeMillis(), 0));
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public AppendResult append500() throws InterruptedException {
        AppendResult result = log.append(stream, batch);
        log.commit(stream, result.endOffset());
        return result;
    }
}
