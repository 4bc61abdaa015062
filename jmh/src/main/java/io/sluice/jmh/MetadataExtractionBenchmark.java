package io.sluice.jmh;

import io.sluice.catalog.StreamRef;
import io.sluice.metrics.Metrics;
import io.sluice.processor.MetadataExtraction;
import io.sluice.processor.PartitionKeys;
import io.sluice.processor.ProcessingFailure;
import io.sluice.processor.ProcessorRecord;
import io.sluice.processor.RecordProcessor;
import io.sluice.processor.jq.MetadataQuery;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The delivery thread's share of dynamic partitioning per record: 4,000 JSON records of 1 KiB, as
 * {@code bin/bench put --record-data json} makes them ({@code {"id":N,"ts":MILLIS,"msg":"..."}}), through a
 * {@code MetadataExtraction} processor with the query of {@code bench/partition-delivery.sh} (two keys, 100
 * partitions), each result then looked up among its partition's batches by its keys, as the pipeline does.
 * One thread; the figure is per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MetadataExtractionBenchmark {
    private static final int RECORDS = 4_000;
    private static final String QUERY = "{a: (.id % 10 | tostring), b: ((.id / 10 | floor) % 10 | tostring)}";

    private ProcessorRecord[] records;
    private MetadataExtraction processor;
    private final Map<PartitionKeys, long[]> partitions = new HashMap<>();

    private final RecordProcessor.Emitter emitter = new RecordProcessor.Emitter() {
        @Override
        public void emit(ProcessorRecord record) {
            partitions.computeIfAbsent(record.partitionKeys(), keys -> new long[1])[0]++;
        }

        @Override
        public void fail(ProcessingFailure failure) {
            throw new IllegalStateException(failure.errorMessage());
        }
    };

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        records = new ProcessorRecord[RECORDS];
        // Records are read-only views of one buffer, as the pipeline's are of the log's frames.
        byte[] all = new byte[RECORDS * 1_024];
        for (int i = 0; i < RECORDS; i++) {
            StringBuilder json = new StringBuilder("{\"id\":" + i + ",\"ts\":1764800000000,\"msg\":\"");
            while (json.length() < 1021) {
                json.append((char) ('a' + random.nextInt(26)));
            }
            byte[] data = json.append("\"}\n").toString().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(data, 0, all, i * 1_024, data.length);
            records[i] = ProcessorRecord.source(
                    i * 1_100L,
                    1_764_800_000_000L,
                    ByteBuffer.wrap(all, i * 1_024, data.length).slice().asReadOnlyBuffer());
        }
        processor = new MetadataExtraction(
                MetadataQuery.compile(QUERY), new StreamRef("123456789012", "us-east-1", "bench"), new Metrics());
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Map<PartitionKeys, long[]> partitionRecords() {
        for (ProcessorRecord record : records) {
            processor.process(record, emitter);
        }
        return partitions;
    }
}
