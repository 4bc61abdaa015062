package io.sluice.jmh;

import io.sluice.aws.AccessKeys;
import io.sluice.destination.s3.CompressionFormat;
import io.sluice.destination.s3.ObjectContent;
import io.sluice.destination.s3.ObjectFormat;
import io.sluice.destination.s3.PutObject;
import io.sluice.destination.s3.PutOutcome;
import io.sluice.destination.s3.S3EndpointConfig;
import io.sluice.destination.s3.S3StoreConfig;
import io.sluice.destination.s3.SdkObjectStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * The PutObject ceiling of an S3-compatible server, through the same client Sluice delivers with
 * ({@link SdkObjectStore}: the SDK's Apache client, CRC32 checksums, bodies read from a file), so
 * Sluice's delivered throughput to that server can be compared with it in the same run
 * ({@code bench/s3-delivery.sh}). Needs the server running and the bucket created; one operation is
 * one object of {@code objectBytes}, so MB/s is operations/s times the object size. Four threads: against
 * s3proxy on this machine the ceiling is the same from four threads up ({@code -t 8}, {@code -t 16}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(4)
public class S3PutObjectBenchmark {
    @Param("http://127.0.0.1:19000")
    String endpoint;

    @Param("ceiling")
    String bucket;

    @Param("bench-identity")
    String accessKey;

    @Param("bench-credential")
    String secretKey;

    @Param("5242880")
    int objectBytes;

    private SdkObjectStore store;
    private Path body;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        byte[] bytes = new byte[objectBytes];
        new SplittableRandom(1).nextBytes(bytes);
        body = Files.write(Files.createTempFile("s3-ceiling", ".object"), bytes);
        store = new SdkObjectStore(S3StoreConfig.of(
                S3EndpointConfig.of(URI.create(endpoint), "us-east-1", AccessKeys.of(accessKey, secretKey))));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        Files.deleteIfExists(body);
    }

    @Benchmark
    public PutOutcome putObject() throws IOException {
        PutOutcome outcome = store.put(PutObject.of(
                bucket,
                "ceiling/" + UUID.randomUUID(),
                ObjectContent.of(body),
                new ObjectFormat(CompressionFormat.UNCOMPRESSED, false)));
        if (!(outcome instanceof PutOutcome.Stored)) {
            throw new IllegalStateException("PutObject failed: " + outcome);
        }
        return outcome;
    }
}
