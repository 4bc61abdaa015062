package io.sluice.destination.http;

import static io.sluice.testing.Streams.awaitActive;
import static io.sluice.testing.Streams.localObjects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.server.SluiceConfig;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Streams;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.HttpEndpointDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Delivery to an HTTP endpoint end to end: a real Sluice (plain http allowed, short timeouts and
 * backoff) POSTs to {@link FirehoseReceiver}s; failed batches land in the embedded local store.
 */
class HttpEndpointDeliveryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start(HttpEndpointDeliveryIT::fastRetries);
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
    }

    static SluiceConfig fastRetries(SluiceConfig config) {
        SluiceConfig.DeliverySettings delivery = config.delivery();
        return config.withDelivery(new SluiceConfig.DeliverySettings(
                delivery.s3(),
                delivery.maxInFlight(),
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                new SluiceConfig.HttpEndpointSettings(
                        true, Optional.empty(), Duration.ofMillis(700), Duration.ofMillis(100))));
    }

    private static String arn(String stream) {
        return "arn:aws:firehose:us-east-1:000000000000:deliverystream/" + stream;
    }

    private static void create(
            String stream, String url, String bucket, Consumer<HttpEndpointDestinationConfiguration.Builder> more) {
        create(firehose, stream, url, bucket, more);
    }

    private static void create(
            FirehoseClient firehose,
            String stream,
            String url,
            String bucket,
            Consumer<HttpEndpointDestinationConfiguration.Builder> more) {
        HttpEndpointDestinationConfiguration.Builder http = HttpEndpointDestinationConfiguration.builder()
                .endpointConfiguration(e -> e.url(url).name("receiver"))
                .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::" + bucket));
        more.accept(http);
        firehose.createDeliveryStream(
                b -> b.deliveryStreamName(stream).httpEndpointDestinationConfiguration(http.build()));
        awaitActive(firehose, stream);
    }

    private static List<String> put(String stream, String prefix, int count) {
        return put(firehose, stream, prefix, count);
    }

    private static List<String> put(FirehoseClient firehose, String stream, String prefix, int count) {
        List<String> sent = new ArrayList<>();
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String data = prefix + "-" + i + (i % 7 == 0 ? "\n\u00e9\"{}" : "");
            sent.add(data);
            records.add(Record.builder().data(SdkBytes.fromUtf8String(data)).build());
        }
        assertThat(firehose.putRecordBatch(b -> b.deliveryStreamName(stream).records(records))
                        .failedPutCount())
                .isZero();
        return sent;
    }

    private static List<JsonNode> errorDocuments(String bucket) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (Path object : localObjects(sluice.dataDir(), bucket)) {
            String key = Streams.key(sluice.dataDir(), bucket, object);
            assertThat(key).startsWith("http-endpoint-failed/");
            for (String line : Files.readString(object, UTF_8).split("\n")) {
                documents.add(JSON.readTree(line));
            }
        }
        return documents;
    }

    private static String raw(JsonNode document) {
        return new String(Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8);
    }

    @Test
    void postsEveryRecordWithTheProtocolsHeadersAccessKeyAndCommonAttributes() throws Exception {
        String stream = "http-plain";
        try (FirehoseReceiver receiver = FirehoseReceiver.start(new FirehoseReceiver.Expected(
                arn(stream), Optional.of("secret-key"), Map.of("env", "test", "team", "data"), false))) {
            create(
                    stream,
                    receiver.url(),
                    "plain-errors",
                    h -> h.endpointConfiguration(e -> e.url(receiver.url()).accessKey("secret-key"))
                            .requestConfiguration(r -> r.commonAttributes(
                                    a -> a.attributeName("env").attributeValue("test"),
                                    a -> a.attributeName("team").attributeValue("data"))));
            List<String> sent = put(stream, "plain", 120);
            await().atMost(WAIT).until(() -> receiver.acceptedRecords().size() >= sent.size());
            assertThat(receiver.violations()).isEmpty();
            assertThat(receiver.acceptedRecords()).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void gzipsTheBodyWhenConfigured() throws Exception {
        String stream = "http-gzip";
        try (FirehoseReceiver receiver =
                FirehoseReceiver.start(new FirehoseReceiver.Expected(arn(stream), Optional.empty(), Map.of(), true))) {
            create(stream, receiver.url(), "gzip-errors", h -> h.requestConfiguration(r -> r.contentEncoding("GZIP")));
            List<String> sent = put(stream, "gz", 50);
            await().atMost(WAIT).until(() -> receiver.acceptedRecords().size() >= sent.size());
            assertThat(receiver.violations()).isEmpty();
            assertThat(receiver.acceptedRecords()).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void retriesWithTheSameRequestIdUntilTheEndpointAccepts() throws Exception {
        String stream = "http-recover";
        try (FirehoseReceiver receiver =
                FirehoseReceiver.start(new FirehoseReceiver.Expected(arn(stream), Optional.empty(), Map.of(), false))) {
            receiver.answer(FirehoseReceiver.Answer.STATUS_503);
            create(stream, receiver.url(), "recover-errors", h -> h.retryOptions(r -> r.durationInSeconds(3600)));
            List<String> sent = put(stream, "r", 10);
            await().atMost(WAIT).until(() -> receiver.attempts().size() >= 3);
            receiver.answer(FirehoseReceiver.Answer.STATUS_500);
            int before = receiver.attempts().size();
            await().atMost(WAIT).until(() -> receiver.attempts().size() >= before + 2);
            receiver.answer(FirehoseReceiver.Answer.OK);
            await().atMost(WAIT).until(() -> receiver.acceptedRecords().size() >= sent.size());
            assertThat(receiver.acceptedRecords()).containsExactlyElementsOf(sent);
            assertThat(receiver.attempts())
                    .extracting(FirehoseReceiver.Attempt::requestId)
                    .containsOnly(receiver.attempts().get(0).requestId());
            assertThat(localObjects(sluice.dataDir(), "recover-errors")).isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "STATUS_500, HttpEndpoint.DestinationException, receiver broke (500)",
        "STATUS_503, HttpEndpoint.DestinationException, receiver busy (503)",
        "HANG, HttpEndpoint.RequestTimeout, did not respond",
        "WRONG_REQUEST_ID, HttpEndpoint.InvalidResponseFromDestination, requestId does not match",
        "NOT_JSON, HttpEndpoint.InvalidResponseFromDestination, <html>ok</html>"
    })
    void writesErrorDocumentsOfExactlyTheFailedRecordsAfterTheRetryDuration(
            FirehoseReceiver.Answer answer, String errorCode, String messagePart) throws Exception {
        String stream = "http-fail-" + answer.name().toLowerCase().replace('_', '-');
        String bucket = stream + "-bucket";
        try (FirehoseReceiver receiver =
                FirehoseReceiver.start(new FirehoseReceiver.Expected(arn(stream), Optional.empty(), Map.of(), false))) {
            receiver.answer(answer);
            create(stream, receiver.url(), bucket, h -> h.retryOptions(r -> r.durationInSeconds(1)));
            List<String> sent = put(stream, answer.name(), 25);
            await().atMost(WAIT)
                    .until(() -> !localObjects(sluice.dataDir(), bucket).isEmpty());
            List<JsonNode> documents = errorDocuments(bucket);
            assertThat(documents).extracting(HttpEndpointDeliveryIT::raw).containsExactlyElementsOf(sent);
            int attempts = receiver.attempts().size();
            assertThat(attempts).isGreaterThan(1);
            for (JsonNode document : documents) {
                assertThat(document.get("errorCode").asText()).isEqualTo(errorCode);
                assertThat(document.get("errorMessage").asText()).contains(messagePart);
                assertThat(document.get("attemptsMade").asInt()).isEqualTo(attempts);
                assertThat(document.get("arrivalTimestamp").isIntegralNumber()).isTrue();
                assertThat(document.get("attemptEndingTimestamp").asLong())
                        .isGreaterThanOrEqualTo(document.get("arrivalTimestamp").asLong());
                assertThat(document.get("subsequenceNumber").asInt()).isZero();
                assertThat(document.get("dataId").isTextual()).isTrue();
                List<String> members = new ArrayList<>();
                document.fieldNames().forEachRemaining(members::add);
                assertThat(members)
                        .containsExactly(
                                "attemptsMade",
                                "arrivalTimestamp",
                                "errorCode",
                                "errorMessage",
                                "attemptEndingTimestamp",
                                "rawData",
                                "subsequenceNumber",
                                "dataId");
            }
            assertThat(receiver.acceptedRecords()).isEmpty();
        }
    }

    @Test
    void writesErrorDocumentsWhenTheEndpointRefusesConnections() throws Exception {
        String stream = "http-refused";
        String bucket = "refused-bucket";
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        create(stream, "http://127.0.0.1:" + port + "/", bucket, h -> h.retryOptions(r -> r.durationInSeconds(1)));
        List<String> sent = put(stream, "refused", 5);
        await().atMost(WAIT).until(() -> !localObjects(sluice.dataDir(), bucket).isEmpty());
        List<JsonNode> documents = errorDocuments(bucket);
        assertThat(documents).extracting(HttpEndpointDeliveryIT::raw).containsExactlyElementsOf(sent);
        assertThat(documents)
                .allSatisfy(d -> assertThat(d.get("errorCode").asText()).isEqualTo("HttpEndpoint.ConnectionFailed"));
    }

    @Test
    void discardsABatchTheEndpointAnswersWith413WithoutErrorOutput() throws Exception {
        String stream = "http-too-large";
        String bucket = "too-large-bucket";
        try (FirehoseReceiver receiver =
                FirehoseReceiver.start(new FirehoseReceiver.Expected(arn(stream), Optional.empty(), Map.of(), false))) {
            receiver.answer(FirehoseReceiver.Answer.STATUS_413);
            create(stream, receiver.url(), bucket, h -> h.retryOptions(r -> r.durationInSeconds(3600)));
            put(stream, "big", 3);
            await().atMost(WAIT).until(() -> receiver.attempts().size() == 1);
            receiver.answer(FirehoseReceiver.Answer.OK);
            List<String> later = put(stream, "after", 3);
            await().atMost(WAIT).until(() -> receiver.acceptedRecords().size() >= later.size());
            assertThat(receiver.acceptedRecords()).containsExactlyElementsOf(later);
            assertThat(receiver.attempts()).hasSize(2);
            assertThat(localObjects(sluice.dataDir(), bucket)).isEmpty();
        }
    }

    @Test
    void backsUpEveryRecordWithAllData() throws Exception {
        String stream = "http-all-data";
        String bucket = "all-data-bucket";
        try (FirehoseReceiver receiver =
                FirehoseReceiver.start(new FirehoseReceiver.Expected(arn(stream), Optional.empty(), Map.of(), false))) {
            create(
                    stream,
                    receiver.url(),
                    bucket,
                    h -> h.s3BackupMode("AllData")
                            .s3Configuration(s -> s.roleARN(Streams.ROLE)
                                    .bucketARN("arn:aws:s3:::" + bucket)
                                    .prefix("backup/")));
            List<String> sent = put(stream, "all", 30);
            await().atMost(WAIT)
                    .until(() -> !localObjects(sluice.dataDir(), bucket).isEmpty());
            StringBuilder backedUp = new StringBuilder();
            for (Path object : localObjects(sluice.dataDir(), bucket)) {
                assertThat(Streams.key(sluice.dataDir(), bucket, object)).startsWith("backup/");
                backedUp.append(Files.readString(object, UTF_8));
            }
            assertThat(backedUp.toString()).isEqualTo(String.join("", sent));
            assertThat(receiver.acceptedRecords()).containsExactlyElementsOf(sent);
        }
    }

    /** Also: the access key, sealed in the catalog, is sent as configured after the restart loads it. */
    @Test
    void losesNothingWhenRestartedDuringRetries() throws Exception {
        String stream = "http-restart";
        try (RunningSluice own = RunningSluice.start(HttpEndpointDeliveryIT::fastRetries);
                FirehoseReceiver receiver = FirehoseReceiver.start(
                        new FirehoseReceiver.Expected(arn(stream), Optional.of("restart-key"), Map.of(), false))) {
            receiver.answer(FirehoseReceiver.Answer.STATUS_503);
            List<String> sent;
            try (FirehoseClient client = own.client()) {
                create(
                        client,
                        stream,
                        receiver.url(),
                        "restart-errors",
                        h -> h.endpointConfiguration(e -> e.url(receiver.url()).accessKey("restart-key"))
                                .retryOptions(r -> r.durationInSeconds(3600)));
                sent = put(client, stream, "restart", 40);
            }
            await().atMost(WAIT).until(() -> receiver.attempts().size() >= 2);
            own.restart();
            assertThat(Files.readString(own.dataDir().resolve("catalog/000000000000/us-east-1/" + stream + ".json")))
                    .doesNotContain("restart-key");
            int before = receiver.attempts().size();
            await().atMost(WAIT).until(() -> receiver.attempts().size() >= before + 2);
            receiver.answer(FirehoseReceiver.Answer.OK);
            await().atMost(WAIT).until(() -> receiver.acceptedRecords().containsAll(sent));
            assertThat(receiver.acceptedRecords()).containsExactlyElementsOf(sent);
            assertThat(localObjects(own.dataDir(), "restart-errors")).isEmpty();
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void retriesGoToTheEndpointAsConfiguredNowWithTheSameRequestId() throws Exception {
        String stream = "http-moved";
        FirehoseReceiver.Expected expected =
                new FirehoseReceiver.Expected(arn(stream), Optional.of("new-key"), Map.of(), false);
        try (FirehoseReceiver old = FirehoseReceiver.start(
                        new FirehoseReceiver.Expected(arn(stream), Optional.of("old-key"), Map.of(), false));
                FirehoseReceiver moved = FirehoseReceiver.start(expected)) {
            old.answer(FirehoseReceiver.Answer.STATUS_503);
            create(
                    stream,
                    old.url(),
                    "moved-errors",
                    h -> h.endpointConfiguration(e -> e.url(old.url()).accessKey("old-key"))
                            .retryOptions(r -> r.durationInSeconds(3600)));
            List<String> sent = put(stream, "moved", 5);
            await().atMost(WAIT).until(() -> !old.attempts().isEmpty());
            firehose.updateDestination(b -> b.deliveryStreamName(stream)
                    .currentDeliveryStreamVersionId("1")
                    .destinationId("destinationId-000000000001")
                    .httpEndpointDestinationUpdate(
                            u -> u.endpointConfiguration(e -> e.url(moved.url()).accessKey("new-key"))));
            await().atMost(WAIT).until(() -> moved.acceptedRecords().size() >= sent.size());
            assertThat(moved.acceptedRecords()).containsExactlyElementsOf(sent);
            assertThat(moved.attempts().get(0).requestId())
                    .isEqualTo(old.attempts().get(0).requestId());
            assertThat(moved.violations()).isEmpty();
            assertThat(old.violations()).isEmpty();
        }
    }
}
