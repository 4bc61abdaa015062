package io.sluice.jmh;

import io.sluice.api.ApiJson;
import io.sluice.api.PutRecordsReader;
import io.sluice.api.RequestBody;
import io.sluice.api.model.ServiceModel;
import io.sluice.common.DataSize;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
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

/** Reading one PutRecordBatch body of 500 records: JSON, base64 and the model's constraints. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PutRecordsParseBenchmark {
    @Param({"100", "1024"})
    int recordSize;

    private PutRecordsReader reader;
    private byte[] body;

    @Setup
    public void setUp() {
        reader = new PutRecordsReader(ServiceModel.firehose(), ApiJson.mapper(DataSize.ofMebibytes(8)));
        SplittableRandom random = new SplittableRandom(1);
        StringBuilder json = new StringBuilder("{\"DeliveryStreamName\":\"bench\",\"Records\":[");
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[recordSize];
            random.nextBytes(data);
            json.append(i == 0 ? "" : ",")
                    .append("{\"Data\":\"")
                    .append(Base64.getEncoder().encodeToString(data))
                    .append("\"}");
        }
        body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public PutRecordsReader.PutRecords parseBatch() {
        return reader.read(true, RequestBody.of(body));
    }
}
