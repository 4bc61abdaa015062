package io.sluice.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Sends raw Firehose API requests, signed by the AWS SDK v2 signer, so tests can put any bytes on the
 * wire (malformed JSON, unknown targets, hostile bodies) and see exactly what Sluice answers; and
 * signed query-protocol calls to services an emulator serves but the test has no SDK module for.
 */
public final class SignedHttp {
    private final URI endpoint;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public SignedHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    public HttpResponse<String> post(String target, byte[] body) {
        return post(target, body, "us-east-1");
    }

    public HttpResponse<String> post(String target, byte[] body, String region) {
        Map<String, String> headers = target == null ? Map.of() : Map.of("X-Amz-Target", target);
        return post("firehose", region, "application/x-amz-json-1.1", headers, body, false);
    }

    /** As {@link #post(String, byte[], String)}, the body sent in chunks without a {@code Content-Length}. */
    public HttpResponse<String> postChunked(String target, byte[] body, String region) {
        return post("firehose", region, "application/x-amz-json-1.1", Map.of("X-Amz-Target", target), body, true);
    }

    /**
     * A query-protocol call ({@code Action=...&Version=...}, form-encoded) to {@code service}, e.g. IAM
     * on a server that emulates it.
     */
    public HttpResponse<String> postForm(String service, String region, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return post(
                service,
                region,
                "application/x-www-form-urlencoded; charset=utf-8",
                Map.of(),
                body.getBytes(StandardCharsets.UTF_8),
                false);
    }

    private HttpResponse<String> post(
            String service,
            String region,
            String contentType,
            Map<String, String> headers,
            byte[] body,
            boolean chunked) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                .putHeader("Content-Type", contentType);
        headers.forEach(unsigned::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create("test", "test"))
                        .request(unsigned.build())
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.systemUTC()));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(Duration.ofSeconds(30))
                .POST(
                        chunked
                                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, java.util.List<String>> header :
                signed.request().headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("host")) {
                header.getValue().forEach(v -> request.header(header.getKey(), v));
            }
        }
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
