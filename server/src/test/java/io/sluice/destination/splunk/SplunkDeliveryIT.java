package io.sluice.destination.splunk;

import static io.sluice.testing.Streams.awaitActive;
import static io.sluice.testing.Streams.localObjects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.server.SluiceConfig;
import io.sluice.testing.HecReceiver;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Scrapes;
import io.sluice.testing.Streams;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.SplunkDestinationConfiguration;

/**
 * Delivery to Splunk end to end: a real Sluice (short timeouts, backoff and acknowledgement wait) sends
 * to {@link HecReceiver}s written to HEC's published protocol; failed events land in the embedded local
 * store.
 */
class SplunkDeliveryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration ACK_TIMEOUT_LIMIT = Duration.ofMillis(1500);
    private static final String TOKEN = "8a3e1f7c-6c4d-4c8a-9f3e-2b1d0c9e8f7a";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() {
        sluice = RunningSluice.start(SplunkDeliveryIT::fastRetries);
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
                                true, Optional.empty(), Duration.ofSeconds(2), Duration.ofMillis(100)))
                .withSplunk(
                        new SluiceConfig.SplunkSettings(Optional.empty(), Duration.ofSeconds(2), ACK_TIMEOUT_LIMIT)));
    }

    private static HecReceiver receiver() throws Exception {
        HecReceiver receiver = HecReceiver.start();
        receiver.addToken(TOKEN);
        return receiver;
    }

    private static void create(
            String stream,
            String url,
            String type,
            String bucket,
            Consumer<SplunkDestinationConfiguration.Builder> more) {
        SplunkDestinationConfiguration.Builder splunk = SplunkDestinationConfiguration.builder()
                .hecEndpoint(url)
                .hecEndpointType(type)
                .hecToken(TOKEN)
                .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::" + bucket));
        more.accept(splunk);
        firehose.createDeliveryStream(b -> b.deliveryStreamName(stream).splunkDestinationConfiguration(splunk.build()));
        awaitActive(firehose, stream);
    }

    private static List<String> put(String stream, List<String> records) {
        List<Record> batch = records.stream()
                .map(r -> Record.builder().data(SdkBytes.fromUtf8String(r)).build())
                .toList();
        assertThat(firehose.putRecordBatch(b -> b.deliveryStreamName(stream).records(batch))
                        .failedPutCount())
                .isZero();
        return records;
    }

    private static List<String> lines(String prefix, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(prefix + " event " + i + " \u00e9\n");
        }
        return lines;
    }

    private static List<JsonNode> errorDocuments(String bucket) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (Path object : localObjects(sluice.dataDir(), bucket)) {
            assertThat(Streams.key(sluice.dataDir(), bucket, object)).startsWith("splunk-failed/");
            for (String line : Files.readString(object, UTF_8).split("\n")) {
                documents.add(JSON.readTree(line));
            }
        }
        return documents;
    }

    private static String raw(JsonNode document) {
        return new String(Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8);
    }

    private static List<String> trimmed(List<String> records) {
        return records.stream().map(String::strip).toList();
    }

    @Test
    void sendsRawRecordsAsTheyAreOnTheStreamsChannelAndWaitsForTheirAcknowledgement() throws Exception {
        try (HecReceiver receiver = receiver()) {
            receiver.acknowledge(HecReceiver.AckPolicy.afterQueries(3));
            create("splunk-raw", receiver.url().toString(), "Raw", "raw-bucket", c -> {});
            List<String> sent = put("splunk-raw", lines("raw", 40));
            await().atMost(WAIT).until(() -> receiver.acknowledgedEvents().size() >= sent.size());
            assertThat(receiver.acknowledgedEvents()).containsExactlyInAnyOrderElementsOf(trimmed(sent));
            StringBuilder received = new StringBuilder();
            receiver.rawChunks().forEach(chunk -> received.append(chunk.text()));
            assertThat(Set.copyOf(received.toString().lines().toList())).isEqualTo(Set.copyOf(trimmed(sent)));
            assertThat(received.length()).isEqualTo(String.join("", sent).length());
            assertThat(receiver.violations()).isEmpty();
            List<HecReceiver.Request> requests = receiver.requests();
            assertThat(requests).allSatisfy(r -> {
                assertThat(r.headers().get("authorization")).isEqualTo("Splunk " + TOKEN);
                assertThat(r.channel()).isPresent();
            });
            assertThat(requests.stream().map(r -> r.channel().orElseThrow()).distinct())
                    .singleElement()
                    .satisfies(channel ->
                            assertThat(java.util.UUID.fromString(channel)).isNotNull());
            long sends = requests.stream()
                    .filter(r -> r.path().equals("/services/collector/raw"))
                    .count();
            long queries = requests.stream()
                    .filter(r -> r.path().equals("/services/collector/ack"))
                    .count();
            assertThat(queries).isGreaterThanOrEqualTo(3 * sends);
            await().atMost(WAIT).untilAsserted(() -> {
                String scrape = Scrapes.scrape(sluice.endpoint());
                assertThat(Scrapes.streamValue(scrape, "firehose_DeliveryToSplunk_Records_total", "splunk-raw"))
                        .isEqualTo(sent.size());
                assertThat(Scrapes.streamValue(
                                scrape, "firehose_DeliveryToSplunk_DataAckLatency_seconds_count", "splunk-raw"))
                        .isEqualTo(sends);
            });
            assertThat(localObjects(sluice.dataDir(), "raw-bucket")).isEmpty();
        }
    }

    @Test
    void sendsEventRecordsToTheEventEndpoint() throws Exception {
        try (HecReceiver receiver = receiver()) {
            create("splunk-event", receiver.url() + "/", "Event", "event-bucket", c -> {});
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                sent.add("{\"event\":{\"n\":" + i + ",\"msg\":\"caf\u00e9\"},\"sourcetype\":\"sluice\"}");
            }
            put("splunk-event", sent);
            await().atMost(WAIT).until(() -> receiver.acknowledgedEvents().size() >= sent.size());
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 25; i++) {
                expected.add("{\"n\":" + i + ",\"msg\":\"caf\u00e9\"}");
            }
            assertThat(Set.copyOf(receiver.acknowledgedEvents())).isEqualTo(expected);
            assertThat(receiver.requests())
                    .filteredOn(r -> !r.path().equals("/services/collector/ack"))
                    .allSatisfy(r -> assertThat(r.path()).isEqualTo("/services/collector/event"));
            assertThat(receiver.violations()).isEmpty();
        }
    }

    @Test
    void anAcknowledgementThatNeverComesIsRetriedThenWrittenToTheErrorOutput() throws Exception {
        try (HecReceiver receiver = receiver()) {
            receiver.acknowledge(HecReceiver.AckPolicy.NEVER);
            create(
                    "splunk-no-ack",
                    receiver.url().toString(),
                    "Raw",
                    "no-ack-bucket",
                    c -> c.retryOptions(r -> r.durationInSeconds(1)));
            List<String> sent = put("splunk-no-ack", lines("lost-ack", 5));
            await().atMost(WAIT)
                    .until(() ->
                            !localObjects(sluice.dataDir(), "no-ack-bucket").isEmpty());
            List<JsonNode> documents = errorDocuments("no-ack-bucket");
            assertThat(documents).extracting(SplunkDeliveryIT::raw).containsExactlyInAnyOrderElementsOf(sent);
            long sends = receiver.requests().stream()
                    .filter(r -> r.path().equals("/services/collector/raw"))
                    .count();
            assertThat(sends).isGreaterThan(1);
            for (JsonNode document : documents) {
                assertThat(document.get("errorCode").asText()).isEqualTo("Splunk.AckTimeout");
                assertThat(document.get("errorMessage").asText()).isEqualTo(HecReplies.ACK_TIMEOUT_MESSAGE);
                assertThat(document.get("EventId").asText()).matches("\\d+\\.0");
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
                                "EventId");
            }
            assertThat(documents.stream().map(d -> d.get("EventId").asText()).distinct())
                    .hasSize(sent.size());
            String scrape = Scrapes.scrape(sluice.endpoint());
            assertThat(Scrapes.streamValue(scrape, "firehose_DeliveryToSplunk_Records_total", "splunk-no-ack"))
                    .isZero();
        }
    }

    @Test
    void aBusyCollectorIsRetriedUntilItAccepts() throws Exception {
        try (HecReceiver receiver = receiver()) {
            receiver.answerNext(3, 503, 9, "Server is busy");
            create("splunk-busy", receiver.url().toString(), "Raw", "busy-bucket", c -> {});
            List<String> sent = put("splunk-busy", lines("busy", 10));
            await().atMost(WAIT).until(() -> receiver.acknowledgedEvents().size() >= sent.size());
            assertThat(receiver.acknowledgedEvents()).containsExactlyInAnyOrderElementsOf(trimmed(sent));
            assertThat(receiver.requests()).filteredOn(r -> r.status() == 503).hasSize(3);
            assertThat(localObjects(sluice.dataDir(), "busy-bucket")).isEmpty();
        }
    }

    @Test
    void hecRefusalsEndInTheErrorOutputUnderFirehosesCodes() throws Exception {
        try (HecReceiver receiver = receiver()) {
            receiver.addToken("disabled-token", false, true);
            receiver.addToken("no-ack-token", true, false);
            create(
                    "splunk-bad-token",
                    receiver.url().toString(),
                    "Raw",
                    "bad-token-bucket",
                    c -> c.hecToken("unknown-token").retryOptions(r -> r.durationInSeconds(1)));
            create(
                    "splunk-disabled",
                    receiver.url().toString(),
                    "Raw",
                    "disabled-bucket",
                    c -> c.hecToken("disabled-token").retryOptions(r -> r.durationInSeconds(1)));
            create(
                    "splunk-ack-off",
                    receiver.url().toString(),
                    "Raw",
                    "ack-off-bucket",
                    c -> c.hecToken("no-ack-token").retryOptions(r -> r.durationInSeconds(1)));
            create(
                    "splunk-not-events",
                    receiver.url().toString(),
                    "Event",
                    "not-events-bucket",
                    c -> c.retryOptions(r -> r.durationInSeconds(1)));
            put("splunk-bad-token", lines("bad", 3));
            put("splunk-disabled", lines("disabled", 3));
            put("splunk-ack-off", lines("ack-off", 3));
            put("splunk-not-events", List.of("{\"no-event\":1}", "plain text"));
            for (String[] expected : List.of(
                    new String[] {"bad-token-bucket", "Splunk.InvalidToken", "Invalid token"},
                    new String[] {"disabled-bucket", "Splunk.DisabledToken", "Token disabled"},
                    new String[] {"ack-off-bucket", "Splunk.DisabledAck", "indexer acknowledgement"},
                    new String[] {"not-events-bucket", "Splunk.InvalidDataFormat", "Event field is required"})) {
                await().atMost(WAIT)
                        .until(() ->
                                !localObjects(sluice.dataDir(), expected[0]).isEmpty());
                assertThat(errorDocuments(expected[0])).isNotEmpty().allSatisfy(d -> {
                    assertThat(d.get("errorCode").asText()).isEqualTo(expected[1]);
                    assertThat(d.get("errorMessage").asText()).contains(expected[2]);
                });
            }
        }
    }

    @Test
    void aCollectorDownLongerThanTheRetryDurationSendsEventsToTheErrorOutput() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        create(
                "splunk-down",
                "http://127.0.0.1:" + port,
                "Raw",
                "down-bucket",
                c -> c.retryOptions(r -> r.durationInSeconds(1)));
        List<String> sent = put("splunk-down", lines("down", 5));
        await().atMost(WAIT)
                .until(() -> !localObjects(sluice.dataDir(), "down-bucket").isEmpty());
        List<JsonNode> documents = errorDocuments("down-bucket");
        assertThat(documents).extracting(SplunkDeliveryIT::raw).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(documents)
                .allSatisfy(d -> assertThat(d.get("errorCode").asText()).isEqualTo("Splunk.InvalidEndpoint"));
    }

    @Test
    void aCollectorBackWithinTheRetryDurationGetsEverything() throws Exception {
        HecReceiver first = receiver();
        int port = first.port();
        first.close();
        create(
                "splunk-back",
                "http://127.0.0.1:" + port,
                "Raw",
                "back-bucket",
                c -> c.retryOptions(r -> r.durationInSeconds(600)));
        List<String> sent = put("splunk-back", lines("back", 8));
        await().atMost(WAIT)
                .until(() -> Scrapes.streamValue(
                                Scrapes.scrape(sluice.endpoint()),
                                "firehose_DeliveryToSplunk_Attempts_total",
                                "splunk-back")
                        >= 2);
        try (HecReceiver back = HecReceiver.start(port)) {
            back.addToken(TOKEN);
            await().atMost(WAIT).until(() -> back.acknowledgedEvents().size() >= sent.size());
            assertThat(back.acknowledgedEvents()).containsExactlyInAnyOrderElementsOf(trimmed(sent));
        }
        assertThat(localObjects(sluice.dataDir(), "back-bucket")).isEmpty();
    }

    @Test
    void allEventsCopiesEveryRecordToTheBackupPrefix() throws Exception {
        try (HecReceiver receiver = receiver()) {
            create(
                    "splunk-all",
                    receiver.url().toString(),
                    "Raw",
                    "all-bucket",
                    c -> c.s3BackupMode("AllEvents")
                            .s3Configuration(s -> s.roleARN(Streams.ROLE)
                                    .bucketARN("arn:aws:s3:::all-bucket")
                                    .prefix("backup/")));
            List<String> sent = put("splunk-all", lines("all", 30));
            await().atMost(WAIT)
                    .until(() -> !localObjects(sluice.dataDir(), "all-bucket").isEmpty()
                            && receiver.acknowledgedEvents().size() >= sent.size());
            await().atMost(WAIT).untilAsserted(() -> {
                StringBuilder backedUp = new StringBuilder();
                for (Path object : localObjects(sluice.dataDir(), "all-bucket")) {
                    assertThat(Streams.key(sluice.dataDir(), "all-bucket", object))
                            .startsWith("backup/");
                    backedUp.append(Files.readString(object, UTF_8));
                }
                assertThat(Set.copyOf(backedUp.toString().lines().toList())).isEqualTo(Set.copyOf(trimmed(sent)));
            });
            assertThat(receiver.acknowledgedEvents()).containsExactlyInAnyOrderElementsOf(trimmed(sent));
        }
    }
}
