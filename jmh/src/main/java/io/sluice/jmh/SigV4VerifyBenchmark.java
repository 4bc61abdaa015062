package io.sluice.jmh;

import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.Credential;
import io.sluice.api.auth.CredentialStore;
import io.sluice.api.auth.ReceivedRequest;
import io.sluice.api.auth.SigV4Verifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Verifying the SigV4 signature of one PutRecord request as the AWS SDK for Java v2 signs it (its
 * headers, as the HTTP layer hands them over, turned into a {@link ReceivedRequest}); the body's hash is
 * computed while it is read, so it is not part of this.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigV4VerifyBenchmark {
    private static final Instant SIGNED_AT = Instant.parse("2026-12-05T12:00:00Z");

    private SigV4Verifier verifier;
    private Map<String, List<String>> headers;
    private String payloadSha256;

    @Setup
    public void setUp() {
        Credential credential = new Credential("AKIDBENCH", "bench-secret", "123456789012");
        verifier = new SigV4Verifier(
                CredentialStore.of(List.of(credential)), Clock.fixed(SIGNED_AT.plusSeconds(2), ZoneOffset.UTC));
        byte[] body = ("{\"DeliveryStreamName\":\"bench\",\"Record\":{\"Data\":\"" + "QUJD".repeat(341) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:4573/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "Firehose_20150804.PutRecord")
                .putHeader("User-Agent", "aws-sdk-java/2.31.0 md/io#sync md/http#Apache ua/2.1 api/Firehose#2.31.0")
                .putHeader("amz-sdk-invocation-id", "5d0e2a1c-4c1f-4b1e-9d1a-0a9b8c7d6e5f")
                .putHeader("amz-sdk-request", "attempt=1; max=4")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(credential.accessKeyId(), "bench-secret"))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "firehose")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC)))
                .request();
        headers = new LinkedHashMap<>(signed.headers());
        payloadSha256 = ReceivedRequest.sha256Hex(body);
        verify();
    }

    @Benchmark
    public Authenticated verify() {
        Map<String, List<String>> received = new LinkedHashMap<>();
        headers.forEach((name, values) ->
                received.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        return verifier.verify(new ReceivedRequest("POST", "/", "", received, payloadSha256));
    }
}
