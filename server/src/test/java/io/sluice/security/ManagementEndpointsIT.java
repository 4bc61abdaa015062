package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Streams;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/** {@code /metrics} on its own loopback port behind a bearer token; {@code /health} open and saying nothing. */
class ManagementEndpointsIT {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static SecuredSluice sluice;

    @BeforeAll
    static void start() {
        sluice = SecuredSluice.start();
        try (FirehoseClient admin = sluice.client("ADMIN", "admin-secret")) {
            Streams.createS3(admin, "secret-stream-name", "metrics-bucket", s -> {});
            Streams.put(admin, "secret-stream-name", "x\n");
        }
    }

    @AfterAll
    static void stop() {
        if (sluice != null) {
            sluice.close();
        }
    }

    private static HttpResponse<String> get(URI uri, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAreOnTheirOwnLoopbackPortBehindTheToken() throws Exception {
        URI metrics = sluice.metricsEndpoint();
        assertThat(metrics.getHost()).isEqualTo("127.0.0.1");
        assertThat(metrics.getPort()).isNotEqualTo(sluice.endpoint().getPort());

        HttpResponse<String> anonymous = get(metrics, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(anonymous.body()).doesNotContain("secret-stream-name");
        assertThat(get(metrics, "Bearer wrong-token").statusCode()).isEqualTo(401);
        assertThat(get(metrics, "Basic c2NyYXBlLXRva2VuLTQy").statusCode()).isEqualTo(401);

        HttpResponse<String> scraped = get(metrics, "Bearer scrape-token-42");
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("secret-stream-name");
    }

    @Test
    void theApiPortServesNoMetrics() throws Exception {
        HttpResponse<String> onApi = get(sluice.endpoint().resolve("/metrics"), "Bearer scrape-token-42");
        assertThat(onApi.statusCode()).isEqualTo(404);
        assertThat(onApi.body()).doesNotContain("secret-stream-name");
    }

    @Test
    void healthIsOpenOnBothPortsAndSaysNothingAboutStreams() throws Exception {
        for (URI health : new URI[] {
            sluice.endpoint().resolve("/health"), sluice.metricsEndpoint().resolve("/health")
        }) {
            HttpResponse<String> answer = get(health, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
        }
    }
}
