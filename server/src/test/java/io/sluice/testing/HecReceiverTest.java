package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HecReceiver} answers as Splunk's HTTP Event Collector documents, driven by the JDK's HTTP client. */
final class HecReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    private static final String CHANNEL = UUID.randomUUID().toString();

    private final HttpClient client = HttpClient.newHttpClient();
    private HecReceiver hec;

    /** A reply's status and JSON body. */
    private record Reply(int status, JsonNode body) {
        int code() {
            return body.path("code").asInt(-1);
        }
    }

    @BeforeEach
    void start() throws IOException {
        hec = HecReceiver.start();
        hec.addToken(TOKEN);
    }

    @AfterEach
    void stop() {
        hec.close();
        client.close();
    }

    @Test
    void ackIdsCountFromZeroPerChannel() throws Exception {
        String other = UUID.randomUUID().toString();

        Reply first = event(CHANNEL, "{\"event\":\"a\"}");
        Reply second = event(CHANNEL, "{\"event\":{\"b\":1}}\n{\"event\":\"c\",\"index\":\"main\"}");
        Reply elsewhere = post("/services/collector/event?channel=" + other, TOKEN, null, "{\"event\":\"d\"}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(JSON.readTree("{\"text\":\"Success\",\"code\":0,\"ackId\":0}"));
        assertThat(second.body().get("ackId").asLong()).isEqualTo(1);
        assertThat(elsewhere.body().get("ackId").asLong()).isEqualTo(0);
        assertThat(hec.events()).containsExactly("\"a\"", "{\"b\":1}", "\"c\"", "\"d\"");
        assertThat(hec.indexed().get(3).channel()).contains(other);
        assertThat(hec.indexed().get(2).json()).isEqualTo("{\"event\":\"c\",\"index\":\"main\"}");
        assertThat(hec.requests())
                .extracting(HecReceiver.Request::channel)
                .containsExactly(Optional.of(CHANNEL), Optional.of(CHANNEL), Optional.of(other));
        assertThat(hec.violations()).isEmpty();
    }

    @Test
    void theOtherEventPathsAndConcatenationWithoutSeparator() throws Exception {
        assertThat(post("/services/collector", TOKEN, CHANNEL, "{\"event\":1}{\"event\":2}")
                        .code())
                .isEqualTo(0);
        assertThat(post("/services/collector/event/1.0", TOKEN, CHANNEL, " {\"event\":3} ")
                        .code())
                .isEqualTo(0);

        assertThat(hec.events()).containsExactly("1", "2", "3");
        assertThat(hec.violations()).isEmpty();
    }

    @Test
    void anAckIsTrueOnceThenConsumed() throws Exception {
        event(CHANNEL, "{\"event\":\"a\"}");
        event(CHANNEL, "{\"event\":\"b\"}");

        assertThat(acks(CHANNEL, "[0]").body()).isEqualTo(JSON.readTree("{\"acks\":{\"0\":true}}"));
        assertThat(acks(CHANNEL, "[0,1,2]").body())
                .isEqualTo(JSON.readTree("{\"acks\":{\"0\":false,\"1\":true,\"2\":false}}"));
        assertThat(acks(CHANNEL, "[1]").body()).isEqualTo(JSON.readTree("{\"acks\":{\"1\":false}}"));
        assertThat(acks(UUID.randomUUID().toString(), "[0]").body())
                .isEqualTo(JSON.readTree("{\"acks\":{\"0\":false}}"));
        assertThat(hec.acknowledgedEvents()).containsExactly("\"a\"", "\"b\"");
        assertThat(hec.violations())
                .hasSize(2)
                .allSatisfy(violation -> assertThat(violation).contains("never given"));
    }

    @Test
    void ackPolicies() throws Exception {
        hec.acknowledge(HecReceiver.AckPolicy.NEVER);
        event(CHANNEL, "{\"event\":\"lost\"}");
        for (int i = 0; i < 3; i++) {
            assertThat(acks(CHANNEL, "[0]").body().at("/acks/0").asBoolean()).isFalse();
        }
        assertThat(hec.events()).containsExactly("\"lost\"");

        hec.acknowledge(HecReceiver.AckPolicy.afterQueries(2));
        event(CHANNEL, "{\"event\":\"late\"}");
        assertThat(acks(CHANNEL, "[1]").body().at("/acks/1").asBoolean()).isFalse();
        assertThat(acks(CHANNEL, "[1]").body().at("/acks/1").asBoolean()).isTrue();
        assertThat(acks(CHANNEL, "[1]").body().at("/acks/1").asBoolean()).isFalse();

        hec.acknowledge(HecReceiver.AckPolicy.IMMEDIATELY);
        assertThat(acks(CHANNEL, "[0]").body().at("/acks/0").asBoolean()).isTrue();
        assertThat(hec.acknowledgedEvents()).containsExactly("\"late\"", "\"lost\"");
    }

    @Test
    void tokenWithoutAck() throws Exception {
        hec.addToken("plain", true, false);

        Reply reply = post("/services/collector/event", "plain", null, "{\"event\":\"x\"}");
        Reply ack = post("/services/collector/ack", "plain", CHANNEL, "{\"acks\":[0]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(JSON.readTree("{\"text\":\"Success\",\"code\":0}"));
        assertThat(ack.status()).isEqualTo(400);
        assertThat(ack.body()).isEqualTo(JSON.readTree("{\"text\":\"ACK is disabled\",\"code\":14}"));
        assertThat(hec.indexed().get(0).ackId()).isEmpty();
    }

    @Test
    void authenticationErrors() throws Exception {
        hec.addToken("off", false, true);

        assertError(post("/services/collector/event", null, CHANNEL, "{\"event\":1}"), 401, 2, "Token is required");
        assertError(
                send(HttpRequest.newBuilder(uri("/services/collector/event"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("X-Splunk-Request-Channel", CHANNEL)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"event\":1}"))),
                401,
                3,
                "Invalid authorization");
        assertError(post("/services/collector/event", "unknown", CHANNEL, "{\"event\":1}"), 403, 4, "Invalid token");
        assertError(post("/services/collector/event", "off", CHANNEL, "{\"event\":1}"), 403, 1, "Token disabled");

        assertThat(hec.events()).isEmpty();
        assertThat(hec.requests()).extracting(HecReceiver.Request::status).containsExactly(401, 401, 403, 403);
        assertThat(hec.violations()).hasSize(2);
    }

    @Test
    void channelErrors() throws Exception {
        assertError(
                post("/services/collector/event", TOKEN, null, "{\"event\":1}"), 400, 10, "Data channel is missing");
        assertError(
                post("/services/collector/event", TOKEN, "not-a-guid", "{\"event\":1}"),
                400,
                11,
                "Invalid data channel");
        assertError(post("/services/collector/ack", TOKEN, null, "{\"acks\":[0]}"), 400, 10, "Data channel is missing");
        hec.addToken("plain", true, false);
        assertError(post("/services/collector/raw", "plain", null, "line"), 400, 10, "Data channel is missing");

        assertThat(hec.events()).isEmpty();
        assertThat(hec.violations()).hasSize(4);
    }

    @Test
    void bodyErrorsIndexNothingOfTheRequest() throws Exception {
        hec.allowIndexes(TOKEN, Set.of("main"));

        assertError(event(CHANNEL, ""), 400, 5, "No data");
        assertBadEvent(event(CHANNEL, "{\"event\":1}\n{\"event\":2"), 6, "Invalid data format", 1);
        assertBadEvent(event(CHANNEL, "{\"event\":1}[2]"), 6, "Invalid data format", 1);
        assertBadEvent(event(CHANNEL, "{\"event\":1}{\"time\":2}"), 12, "Event field is required", 1);
        assertBadEvent(event(CHANNEL, "{\"event\":\"\"}"), 13, "Event field cannot be blank", 0);
        assertBadEvent(event(CHANNEL, "{\"event\":null}"), 13, "Event field cannot be blank", 0);
        assertBadEvent(
                event(CHANNEL, "{\"event\":1,\"index\":\"main\"}{\"event\":2,\"index\":\"other\"}"),
                7,
                "Incorrect index",
                1);

        assertThat(hec.events()).isEmpty();
        assertThat(event(CHANNEL, "{\"event\":1,\"index\":\"main\"}")
                        .body()
                        .get("ackId")
                        .asLong())
                .isEqualTo(0);
        assertThat(hec.violations()).containsExactly("POST /services/collector/event has no data");
    }

    @Test
    void rawStoresTheBodyAsReceivedAndItsLines() throws Exception {
        Reply reply = post("/services/collector/raw", TOKEN, CHANNEL, "one\ntwo\n");
        Reply again = post("/services/collector/raw/1.0?channel=" + CHANNEL, TOKEN, null, "three");
        assertError(post("/services/collector/raw", TOKEN, CHANNEL, ""), 400, 5, "No data");

        assertThat(reply.body().get("ackId").asLong()).isEqualTo(0);
        assertThat(again.body().get("ackId").asLong()).isEqualTo(1);
        assertThat(hec.rawChunks()).extracting(HecReceiver.RawChunk::text).containsExactly("one\ntwo\n", "three");
        assertThat(hec.events()).containsExactly("one", "two", "three");
        assertThat(hec.indexed()).extracting(HecReceiver.IndexedEvent::endpoint).containsOnly(HecReceiver.Endpoint.RAW);
    }

    @Test
    void gzipBodiesAreDecoded() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write("{\"event\":\"z\"}".getBytes(UTF_8));
        }
        Reply reply = send(HttpRequest.newBuilder(uri("/services/collector/event"))
                .header("Authorization", "Splunk " + TOKEN)
                .header("X-Splunk-Request-Channel", CHANNEL)
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())));

        assertThat(reply.code()).isEqualTo(0);
        assertThat(hec.events()).containsExactly("\"z\"");
    }

    @Test
    void scriptedFailuresComeFirstThenStop() throws Exception {
        hec.answerNext(2, 503, 9, "Server is busy");

        assertError(event(CHANNEL, "{\"event\":1}"), 503, 9, "Server is busy");
        assertError(post("/services/collector/event", "unknown", CHANNEL, "{\"event\":1}"), 503, 9, "Server is busy");
        assertThat(event(CHANNEL, "{\"event\":2}").body().get("ackId").asLong()).isEqualTo(0);

        hec.answerAll(500, 8, "Internal server error");
        assertError(event(CHANNEL, "{\"event\":3}"), 500, 8, "Internal server error");
        assertError(event(CHANNEL, "{\"event\":4}"), 500, 8, "Internal server error");
        assertThat(acks(CHANNEL, "[0]").body().at("/acks/0").asBoolean()).isTrue();
        hec.answerNormally();
        assertThat(event(CHANNEL, "{\"event\":5}").code()).isEqualTo(0);

        assertThat(hec.events()).containsExactly("2", "5");
    }

    @Test
    void healthAndUnknownEndpoints() throws Exception {
        Reply healthy =
                send(HttpRequest.newBuilder(uri("/services/collector/health")).GET());
        hec.healthy(false);
        Reply unhealthy =
                send(HttpRequest.newBuilder(uri("/services/collector/health")).GET());
        Reply unknown = post("/services/collector/nothing", TOKEN, CHANNEL, "{\"event\":1}");
        Reply wrongMethod = send(HttpRequest.newBuilder(uri("/services/collector/event"))
                .header("Authorization", "Splunk " + TOKEN)
                .header("X-Splunk-Request-Channel", CHANNEL)
                .GET());

        assertError(healthy, 200, 17, "HEC is healthy");
        assertError(unhealthy, 503, 18, "HEC is unhealthy, queues are full");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(wrongMethod.status()).isEqualTo(404);
        assertThat(hec.violations()).hasSize(2);
    }

    @Test
    void restartsOnTheSamePort() throws Exception {
        event(CHANNEL, "{\"event\":1}");
        int port = hec.port();
        hec.close();

        assertThatThrownBy(() -> event(CHANNEL, "{\"event\":2}")).isInstanceOf(ConnectException.class);

        hec = HecReceiver.start(port);
        hec.addToken(TOKEN);
        Reply reply = event(CHANNEL, "{\"event\":3}");

        assertThat(hec.url()).isEqualTo(URI.create("http://127.0.0.1:" + port));
        assertThat(reply.body().get("ackId").asLong()).isEqualTo(0);
        assertThat(hec.events()).containsExactly("3");
    }

    private static void assertError(Reply reply, int status, int code, String text) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.body().get("code").asInt()).isEqualTo(code);
        assertThat(reply.body().get("text").asText()).isEqualTo(text);
    }

    private static void assertBadEvent(Reply reply, int code, String text, int eventNumber) {
        assertError(reply, 400, code, text);
        assertThat(reply.body().get("invalid-event-number").asInt()).isEqualTo(eventNumber);
    }

    private Reply event(String channel, String body) throws Exception {
        return post("/services/collector/event", TOKEN, channel, body);
    }

    private Reply acks(String channel, String ids) throws Exception {
        return post("/services/collector/ack", TOKEN, channel, "{\"acks\":" + ids + "}");
    }

    private Reply post(String path, String token, String channel, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Splunk " + token);
        }
        if (channel != null) {
            request.header("X-Splunk-Request-Channel", channel);
        }
        return send(request);
    }

    private URI uri(String path) {
        return hec.url().resolve(path);
    }

    private Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }
}
