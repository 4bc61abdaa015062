package io.sluice.jmh;

import io.sluice.catalog.StreamRef;
import io.sluice.common.DataSize;
import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.FunctionInvoker;
import io.sluice.lambda.Invocation;
import io.sluice.metrics.Metrics;
import io.sluice.processor.LambdaParameters;
import io.sluice.processor.LambdaProcessor;
import io.sluice.processor.ProcessorRecord;
import io.sluice.processor.RecordProcessor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sluice's own side of one Lambda invocation of a 1 MiB processor buffer (1,024 JSON records of 1 KiB):
 * building Firehose's event and reading an identity function's answer into records. The function is an
 * in-memory answer prepared once (the event's records, each {@code "result":"Ok"}), so the figure is what
 * Sluice spends per MiB, apart from the function and the transport. One thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LambdaProcessorBenchmark {
    private static final int RECORDS = 1_024;
    private static final Pattern RECORD =
            Pattern.compile("\"recordId\":\"(\\d+)\",\"approximateArrivalTimestamp\":\\d+," + "\"data\":\"([^\"]*)\"");

    private List<ProcessorRecord> records;
    private LambdaProcessor processor;

    /** Answers every event with the identity answer built from the first one it saw. */
    private static final class Identity implements FunctionInvoker {
        private byte[] answer;

        @Override
        public CompletionStage<Invocation> invoke(FunctionCall call) {
            if (answer == null) {
                StringBuilder json = new StringBuilder("{\"records\":[");
                Matcher m = RECORD.matcher(new String(call.payload(), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    json.append(json.charAt(json.length() - 1) == '[' ? "" : ",")
                            .append("{\"recordId\":\"")
                            .append(m.group(1))
                            .append("\",\"result\":\"Ok\",\"data\":\"")
                            .append(m.group(2))
                            .append("\"}");
                }
                answer = json.append("]}").toString().getBytes(StandardCharsets.ISO_8859_1);
            }
            return CompletableFuture.completedFuture(new Invocation.Answered(answer));
        }

        @Override
        public void close() {}
    }

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            StringBuilder json = new StringBuilder("{\"id\":" + i + ",\"msg\":\"");
            while (json.length() < 1021) {
                json.append((char) ('a' + random.nextInt(26)));
            }
            byte[] data = json.append("\"}\n").toString().getBytes(StandardCharsets.UTF_8);
            records.add(ProcessorRecord.source(i * 1_100L, 1_700_000_000_000L, ByteBuffer.wrap(data)));
        }
        processor = new LambdaProcessor(
                new LambdaParameters(
                        "arn:aws:lambda:us-east-1:123456789012:function:identity",
                        3,
                        Optional.empty(),
                        DataSize.ofMebibytes(1),
                        Duration.ofSeconds(60)),
                new StreamRef("123456789012", "us-east-1", "bench"),
                Optional.empty(),
                false,
                new Identity(),
                LambdaProcessor.Settings.DEFAULT,
                new Metrics());
    }

    @Benchmark
    public List<RecordProcessor.Result> invokeOneMebibyte() {
        return processor.process(records).toCompletableFuture().join();
    }
}
