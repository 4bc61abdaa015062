package io.sluice.destination.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.sluice.catalog.DeliveryStream;
import io.sluice.catalog.StreamRef;
import io.sluice.common.DataSize;
import io.sluice.destination.BatchEncoder;
import io.sluice.destination.BatchInfo;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.DeliveryOutcome;
import io.sluice.destination.PreparedBatch;
import io.sluice.destination.s3.S3DestinationSpec;
import io.sluice.processor.PartitionKeys;
import io.sluice.processor.ProcessorRecord;
import io.sluice.testing.ExternalCommand;
import io.sluice.testing.Specs;
import io.sluice.testing.TestStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One destination against one in-process endpoint: response validation and TLS trust. */
class HttpEndpointDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private HttpEndpointTransport transport;
    private final AtomicReference<Responder> responder = new AtomicReference<>();
    private final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();

    @FunctionalInterface
    private interface Responder {
        void respond(HttpExchange exchange, String requestId) throws IOException;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (transport != null) {
            transport.close();
        }
    }

    private void serve(HttpServer started) {
        server = started;
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                JsonNode request = JSON.readTree(body);
                lastRequest.set(request);
                responder.get().respond(exchange, request.path("requestId").asText());
            }
        });
        server.start();
    }

    private HttpServer plain() throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    private static DeliveryStream stream(HttpEndpointDestinationSpec spec) {
        return TestStreams.active(
                new StreamRef("000000000000", "us-east-1", "http-unit"),
                UUID.randomUUID().toString(),
                1,
                spec);
    }

    private static HttpEndpointDestinationSpec spec(String url) {
        BufferingHints hints = new BufferingHints(DataSize.ofMebibytes(1), Duration.ZERO);
        return new HttpEndpointDestinationSpec(
                new HttpEndpointDestinationSpec.Endpoint(URI.create(url), Optional.empty(), Optional.of("key")),
                hints,
                Duration.ofSeconds(1),
                HttpEndpointDestinationSpec.ContentEncoding.NONE,
                List.of(),
                HttpEndpointDestinationSpec.BackupMode.FAILED_DATA_ONLY,
                Specs.s3(hints),
                Optional.empty(),
                S3DestinationSpec.CloudWatchLogging.DISABLED,
                Optional.empty());
    }

    private DeliveryOutcome sendOneBatch(String url, Optional<Path> caBundle) throws IOException {
        return sendOneBatch(url, caBundle, List.of("hello".getBytes(UTF_8)));
    }

    private DeliveryOutcome sendOneBatch(String url, Optional<Path> caBundle, List<byte[]> records) throws IOException {
        transport = HttpEndpointTransport.create(new HttpEndpointTransport.Config(Duration.ofSeconds(5), caBundle));
        HttpEndpointDestinationSpec spec = spec(url);
        DeliveryStream stream = stream(spec);
        HttpEndpointDestination destination =
                new HttpEndpointDestination(stream, spec, transport, dir, Clock.systemUTC(), UUID::randomUUID);
        try (BatchEncoder encoder = destination.encoder(new BatchInfo(stream, Instant.now(), 0, PartitionKeys.NONE))) {
            for (int i = 0; i < records.size(); i++) {
                byte[] record = records.get(i);
                ByteBuffer direct =
                        ByteBuffer.allocateDirect(record.length).put(record).flip();
                encoder.add(ProcessorRecord.source(i, System.currentTimeMillis(), direct));
            }
            try (PreparedBatch batch = encoder.finish()) {
                return destination.send(batch);
            }
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Test
    void deliversWhenTheEndpointAnswers200WithItsRequestId() throws Exception {
        serve(plain());
        responder.set((exchange, id) -> respond(
                exchange,
                200,
                Map.of("Content-Type", "application/json"),
                ("{\"requestId\":\"" + id + "\",\"timestamp\":1578090903599}").getBytes(UTF_8)));
        assertThat(sendOneBatch(url(), Optional.empty())).isEqualTo(DeliveryOutcome.DELIVERED);
    }

    @Test
    void encodesRecordsOfEverySizeAsStandardBase64() throws Exception {
        serve(plain());
        responder.set((exchange, id) -> respond(
                exchange,
                200,
                Map.of("Content-Type", "application/json"),
                ("{\"requestId\":\"" + id + "\",\"timestamp\":1}").getBytes(UTF_8)));
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> records = new ArrayList<>();
        for (int size : new int[] {0, 1, 2, 3, 1024, 24 * 1024 - 1, 24 * 1024, 24 * 1024 + 1, 100_000, 1_000_000}) {
            byte[] record = new byte[size];
            random.nextBytes(record);
            records.add(record);
        }
        assertThat(sendOneBatch(url(), Optional.empty(), records)).isEqualTo(DeliveryOutcome.DELIVERED);
        JsonNode sent = lastRequest.get().get("records");
        assertThat(sent).hasSize(records.size());
        for (int i = 0; i < records.size(); i++) {
            assertThat(Base64.getDecoder().decode(sent.get(i).get("data").asText()))
                    .isEqualTo(records.get(i));
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "application/json | | {\"requestId\":\"<id>\",\"timestamp\":\"1578090903599\"} | timestamp",
                "application/json | | {\"requestId\":\"<id>\"} | timestamp",
                "text/plain | | {\"requestId\":\"<id>\",\"timestamp\":1} | Content-Type",
                "application/json | gzip | {\"requestId\":\"<id>\",\"timestamp\":1} | content-encoded",
                "application/json | | [\"<id>\"] | not a JSON object",
                "application/json | | {\"requestId\":\"other\",\"timestamp\":1} | requestId",
                "application/json | | {\"requestId\":\"<id>\",\"timestamp\": | not JSON"
            })
    void treatsA200WithoutAValidBodyAsAnInvalidResponse(String contentType, String encoding, String body, String reason)
            throws Exception {
        serve(plain());
        responder.set((exchange, id) -> respond(
                exchange,
                200,
                encoding == null
                        ? Map.of("Content-Type", contentType)
                        : Map.of("Content-Type", contentType, "Content-Encoding", encoding),
                body.replace("<id>", id).getBytes(UTF_8)));
        DeliveryOutcome outcome = sendOneBatch(url(), Optional.empty());
        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Retry.class, retry -> {
            assertThat(retry.errorCode()).isEqualTo("HttpEndpoint.InvalidResponseFromDestination");
            assertThat(retry.message()).contains(reason);
        });
    }

    @Test
    void treatsAChunkedResponseWithoutContentLengthAsInvalid() throws Exception {
        serve(plain());
        responder.set((exchange, id) -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(("{\"requestId\":\"" + id + "\",\"timestamp\":1}").getBytes(UTF_8));
            }
        });
        assertThat(sendOneBatch(url(), Optional.empty()))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Retry.class,
                        retry -> assertThat(retry.message()).contains("Content-Length"));
    }

    @Test
    void treatsAResponseOverOneMebibyteAsTooLarge() throws Exception {
        serve(plain());
        responder.set((exchange, id) ->
                respond(exchange, 200, Map.of("Content-Type", "application/json"), new byte[1024 * 1024 + 1]));
        assertThat(sendOneBatch(url(), Optional.empty()))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Retry.class,
                        retry -> assertThat(retry.errorCode()).isEqualTo("HttpEndpoint.ResponseTooLarge"));
    }

    @Test
    void neitherFollowsRedirectsNorTakesOther2xxForSuccess() throws Exception {
        serve(plain());
        responder.set((exchange, id) -> respond(exchange, 302, Map.of("Location", "/elsewhere"), new byte[0]));
        assertThat(sendOneBatch(url(), Optional.empty()))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Retry.class,
                        retry -> assertThat(retry.errorCode()).isEqualTo("HttpEndpoint.DestinationException"));
        transport.close();
        responder.set((exchange, id) -> respond(
                exchange,
                202,
                Map.of("Content-Type", "application/json"),
                ("{\"requestId\":\"" + id + "\",\"timestamp\":1}").getBytes(UTF_8)));
        assertThat(sendOneBatch(url(), Optional.empty())).isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @Test
    void rejectsFor413WithoutErrorOutput() throws Exception {
        serve(plain());
        responder.set((exchange, id) -> respond(exchange, 413, Map.of(), new byte[0]));
        assertThat(sendOneBatch(url(), Optional.empty()))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Rejected.class,
                        rejected -> assertThat(rejected.disposal()).isEqualTo(DeliveryOutcome.Disposal.DISCARD));
    }

    @Test
    void trustsAnEndpointCertificateFromTheCaBundleOnly() throws Exception {
        Path keystore = dir.resolve("receiver.p12");
        Path pem = dir.resolve("ca.pem");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        assertThat(ExternalCommand.run(
                                Map.of(),
                                null,
                                keytool,
                                "-genkeypair",
                                "-alias",
                                "receiver",
                                "-keyalg",
                                "EC",
                                "-groupname",
                                "secp256r1",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=ip:127.0.0.1,dns:localhost",
                                "-validity",
                                "2",
                                "-keystore",
                                keystore.toString(),
                                "-storetype",
                                "PKCS12",
                                "-storepass",
                                "changeit")
                        .exitCode())
                .isZero();
        assertThat(ExternalCommand.run(
                                Map.of(),
                                null,
                                keytool,
                                "-exportcert",
                                "-rfc",
                                "-alias",
                                "receiver",
                                "-keystore",
                                keystore.toString(),
                                "-storepass",
                                "changeit",
                                "-file",
                                pem.toString())
                        .exitCode())
                .isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        serve(https);
        responder.set((exchange, id) -> respond(
                exchange,
                200,
                Map.of("Content-Type", "application/json"),
                ("{\"requestId\":\"" + id + "\",\"timestamp\":1}").getBytes(UTF_8)));
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/";

        assertThat(sendOneBatch(url, Optional.empty()))
                .isInstanceOfSatisfying(
                        DeliveryOutcome.Retry.class,
                        retry -> assertThat(retry.errorCode()).isEqualTo("HttpEndpoint.SSLHandshakeFailure"));
        transport.close();
        assertThat(sendOneBatch(url, Optional.of(pem))).isEqualTo(DeliveryOutcome.DELIVERED);
    }
}
