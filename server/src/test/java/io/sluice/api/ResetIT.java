package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.auth.Credential;
import io.sluice.server.SluiceConfig;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/** {@code POST /_sluice/reset} against a real server, driven by the SDK v2 and a plain HTTP client. */
class ResetIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> reset(URI endpoint) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(endpoint.resolve(TestSuiteHandler.RESET_PATH))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> deliveredLines(Path dataDir, String bucket) {
        return Streams.localObjects(dataDir, bucket).stream()
                .flatMap(f -> {
                    try {
                        return Files.readString(f, StandardCharsets.UTF_8).lines();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .sorted()
                .toList();
    }

    @Test
    void deletesEveryStreamItsRecordsAndTheDeliveredObjects() throws Exception {
        try (RunningSluice sluice = RunningSluice.start(config -> config.withTransitionDelay(Duration.ZERO)
                        .withTestSuite(new SluiceConfig.TestSuiteSettings(false, true)));
                FirehoseClient client = sluice.client();
                FirehoseClient elsewhere = sluice.client(Region.EU_WEST_1, "test", "test")) {
            Streams.createS3(
                    client,
                    "delivers",
                    "reset-bucket",
                    b -> b.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            Streams.createS3(
                    client,
                    "buffers",
                    "reset-bucket",
                    b -> b.bufferingHints(h -> h.sizeInMBs(128).intervalInSeconds(900)));
            Streams.createS3(elsewhere, "buffers", "reset-bucket", b -> {});
            Streams.put(client, "delivers", "delivered-before");
            Streams.put(client, "buffers", "buffered-before");
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            deliveredLines(sluice.dataDir(), "reset-bucket").contains("delivered-before"));

            HttpResponse<String> response = reset(sluice.endpoint());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"deletedStreams\":3}");
            assertThat(client.listDeliveryStreams(b -> {}).deliveryStreamNames())
                    .isEmpty();
            assertThat(elsewhere.listDeliveryStreams(b -> {}).deliveryStreamNames())
                    .isEmpty();
            assertThat(Streams.localObjects(sluice.dataDir(), "reset-bucket")).isEmpty();

            Streams.createS3(
                    client,
                    "buffers",
                    "reset-bucket",
                    b -> b.bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0)));
            Streams.put(client, "buffers", "after");
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            !deliveredLines(sluice.dataDir(), "reset-bucket").isEmpty());
            assertThat(deliveredLines(sluice.dataDir(), "reset-bucket")).containsExactly("after");
        }
    }

    @Test
    void isNotThereUnlessTurnedOn() throws Exception {
        try (RunningSluice sluice = RunningSluice.start()) {
            HttpResponse<String> response = reset(sluice.endpoint());

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("UnknownOperationException");
        }
    }

    @Test
    void refusesAClientOnANonLoopbackAddress() throws Exception {
        Optional<InetAddress> address = nonLoopbackAddress();
        assumeThat(address).as("a non-loopback IPv4 address on this machine").isPresent();
        try (RunningSluice sluice = RunningSluice.start(
                config -> config.withCredentials(List.of(new Credential("AKIDRESET", "reset-secret", "123456789012")))
                        .withHost("0.0.0.0")
                        .withTestSuite(new SluiceConfig.TestSuiteSettings(false, true)))) {
            URI remote = URI.create("http://" + address.get().getHostAddress() + ":"
                    + sluice.endpoint().getPort());
            URI loopback = URI.create("http://127.0.0.1:" + sluice.endpoint().getPort());

            HttpResponse<String> refused = reset(remote);
            HttpResponse<String> served = reset(loopback);

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("AccessDeniedException").contains("loopback");
            assertThat(served.statusCode()).isEqualTo(200);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .findFirst();
    }
}
