package io.sluice.jmh;

import io.sluice.destination.s3.CompressionFormat;
import io.sluice.destination.s3.ObjectEncoder;
import io.sluice.destination.s3.ObjectFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one 8 MiB S3 object from 1 KiB JSON-like records, per compression format, on one thread
 * (the delivery engine encodes each stream's batches on one thread, off the put path). Divide 8 MiB by
 * the time per operation for MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ObjectEncoderBenchmark {
    private static final int RECORDS = 8 * 1024;

    @Param({"UNCOMPRESSED", "GZIP", "ZIP", "SNAPPY", "HADOOP_SNAPPY"})
    CompressionFormat format;

    private byte[][] records;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        records = new byte[64][];
        for (int i = 0; i < records.length; i++) {
            StringBuilder json = new StringBuilder("{\"id\":" + i + ",\"events\":[");
            while (json.length() < 1100) {
                json.append("{\"user\":\"u")
                        .append(random.nextInt(1000))
                        .append("\",\"value\":")
                        .append(random.nextInt())
                        .append("},");
            }
            records[i] = (json.substring(0, 1020) + "]}\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public long encode8MiB() throws IOException {
        CountingSink sink = new CountingSink();
        try (ObjectEncoder encoder =
                ObjectEncoder.open(new ObjectFormat(format, false), sink, UUID::randomUUID, Clock.systemUTC())) {
            for (int i = 0; i < RECORDS; i++) {
                encoder.append(records[i & 63]);
            }
        }
        return sink.count;
    }

    /** Discards what it is given, counting bytes, so the benchmark measures encoding, not the disk. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
