package io.sluice.destination.opensearch;

import static io.sluice.testing.Streams.awaitActive;
import static io.sluice.testing.Streams.localObjects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.destination.opensearch.SearchClustersConfig.Authentication;
import io.sluice.destination.opensearch.SearchClustersConfig.Cluster;
import io.sluice.server.SluiceConfig;
import io.sluice.testing.BulkReceiver;
import io.sluice.testing.BulkReceiver.ItemError;
import io.sluice.testing.LambdaInvokeServer;
import io.sluice.testing.RunningSluice;
import io.sluice.testing.Scrapes;
import io.sluice.testing.Streams;
import io.sluice.testing.TransformationAnswer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.AmazonopensearchserviceDestinationConfiguration;
import software.amazon.awssdk.services.firehose.model.Record;

/**
 * Delivery to search clusters end to end: a real Sluice (short backoff) sends bulk requests to a
 * {@link BulkReceiver} its settings map domain ARNs to; failed documents land in the embedded local store.
 */
class SearchDeliveryIT {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String DOMAIN = "arn:aws:es:us-east-1:123456789012:domain/logs";
    private static final String DEAD_DOMAIN = "arn:aws:es:us-east-1:123456789012:domain/gone";
    private static final String COLLECTION = "https://abc123.us-east-1.aoss.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BulkReceiver receiver;
    private static RunningSluice sluice;
    private static FirehoseClient firehose;

    @BeforeAll
    static void start() throws Exception {
        receiver = BulkReceiver.start();
        URI dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        SearchClustersConfig clusters = new SearchClustersConfig(
                Optional.empty(),
                Map.of(
                        DOMAIN, new Cluster(receiver.url(), Authentication.NONE, Optional.empty()),
                        DEAD_DOMAIN, new Cluster(dead, Authentication.NONE, Optional.empty())),
                Map.of(URI.create(COLLECTION), new Cluster(receiver.url(), Authentication.NONE, Optional.empty())),
                Optional.empty(),
                SearchClustersConfig.Signing.DEFAULT,
                Duration.ofSeconds(5));
        sluice = RunningSluice.start(config -> withClusters(config, clusters));
        firehose = sluice.client();
    }

    @AfterAll
    static void stop() {
        firehose.close();
        sluice.close();
        receiver.close();
    }

    @BeforeEach
    void answerEverything() {
        receiver.answerEveryRequest(200);
        receiver.answerItems(BulkReceiver.ItemAnswer.OK);
    }

    /** Short backoff between attempts, and {@code clusters}. */
    static SluiceConfig withClusters(SluiceConfig config, SearchClustersConfig clusters) {
        SluiceConfig.DeliverySettings delivery = config.delivery();
        return config.withDelivery(new SluiceConfig.DeliverySettings(
                        delivery.s3(),
                        delivery.maxInFlight(),
                        Duration.ofMillis(20),
                        Duration.ofMillis(100),
                        new SluiceConfig.HttpEndpointSettings(
                                false, Optional.empty(), Duration.ofSeconds(5), Duration.ofMillis(100)))
                .withSearchClusters(clusters));
    }

    static void createOpenSearch(
            FirehoseClient client,
            String stream,
            String bucket,
            Consumer<AmazonopensearchserviceDestinationConfiguration.Builder> more) {
        AmazonopensearchserviceDestinationConfiguration.Builder config =
                AmazonopensearchserviceDestinationConfiguration.builder()
                        .roleARN(Streams.ROLE)
                        .domainARN(DOMAIN)
                        .indexName(stream)
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .s3Configuration(s -> s.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::" + bucket));
        more.accept(config);
        client.createDeliveryStream(
                b -> b.deliveryStreamName(stream).amazonopensearchserviceDestinationConfiguration(config.build()));
        awaitActive(client, stream);
    }

    private static void createOpenSearch(
            String stream, String bucket, Consumer<AmazonopensearchserviceDestinationConfiguration.Builder> more) {
        createOpenSearch(firehose, stream, bucket, more);
    }

    static List<String> put(FirehoseClient client, String stream, List<String> data) {
        List<Record> records = new ArrayList<>();
        data.forEach(d ->
                records.add(Record.builder().data(SdkBytes.fromUtf8String(d)).build()));
        assertThat(client.putRecordBatch(b -> b.deliveryStreamName(stream).records(records))
                        .failedPutCount())
                .isZero();
        return data;
    }

    /** {@code count} JSON documents {@code {"stream":…,"n":i}}. */
    static List<String> documents(String stream, int count) {
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            documents.add("{\"stream\":\"" + stream + "\",\"n\":" + i + "}");
        }
        return documents;
    }

    private static String today(String index) {
        return index + "-" + LocalDate.now(ZoneOffset.UTC);
    }

    /** The error documents in {@code bucket}, each with the key it is under. */
    static List<JsonNode> errorDocuments(Path dataDir, String bucket, String folder) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        for (Path object : localObjects(dataDir, bucket)) {
            if (!Streams.key(dataDir, bucket, object).startsWith(folder)) {
                continue;
            }
            for (String line : Files.readString(object, UTF_8).split("\n")) {
                documents.add(JSON.readTree(line));
            }
        }
        return documents;
    }

    static String raw(JsonNode document) {
        return new String(Base64.getDecoder().decode(document.get("rawData").asText()), UTF_8);
    }

    private static List<String> members(JsonNode document) {
        List<String> members = new ArrayList<>();
        document.fieldNames().forEachRemaining(members::add);
        return members;
    }

    @Test
    void indexesEveryRecordIntoTheDailyIndexUnderIdsOfItsLogPosition() {
        String stream = "plain";
        createOpenSearch(stream, "plain-errors", o -> {});
        List<String> sent = put(firehose, stream, documents(stream, 40));
        await().atMost(WAIT).until(() -> receiver.index(today(stream)).size() == sent.size());
        assertThat(receiver.violations()).isEmpty();
        assertThat(receiver.index(today(stream)).values()).containsExactlyInAnyOrderElementsOf(sent);
        List<BulkReceiver.Document> requested = receiver.requests().stream()
                .flatMap(r -> r.documents().stream())
                .filter(d -> d.index().startsWith(stream))
                .toList();
        assertThat(requested).extracting(BulkReceiver.Document::source).containsExactlyElementsOf(sent);
        assertThat(requested).allSatisfy(d -> {
            assertThat(d.action()).isEqualTo("index");
            assertThat(d.type()).isEmpty();
            assertThat(d.id()).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{16}\\.\\d+\\.0"));
        });
        assertThat(requested).extracting(d -> d.id().orElseThrow()).doesNotHaveDuplicates();
        assertThat(receiver.requests().get(receiver.requests().size() - 1).headers())
                .containsEntry("content-type", "application/x-ndjson");
        String scrape = Scrapes.scrape(sluice.endpoint());
        assertThat(Scrapes.streamValue(scrape, "firehose_DeliveryToAmazonOpenSearchService_Records_total", stream))
                .isEqualTo(sent.size());
    }

    @Test
    void sendsTheTypeOnlyWhenTypeNameIsNotEmptyAndNoIdsWithoutDocumentIds() {
        createOpenSearch("typed", "typed-errors", o -> o.typeName("_doc").indexRotationPeriod("NoRotation"));
        createOpenSearch(
                "untyped",
                "untyped-errors",
                o -> o.typeName("")
                        .indexRotationPeriod("NoRotation")
                        .documentIdOptions(d -> d.defaultDocumentIdFormat("NO_DOCUMENT_ID")));
        put(firehose, "typed", documents("typed", 3));
        put(firehose, "untyped", documents("untyped", 3));
        await().atMost(WAIT)
                .until(() -> receiver.index("typed").size() == 3
                        && receiver.index("untyped").size() == 3);
        List<BulkReceiver.Document> requested = receiver.requests().stream()
                .flatMap(r -> r.documents().stream())
                .toList();
        assertThat(requested.stream().filter(d -> d.index().equals("typed"))).allSatisfy(d -> {
            assertThat(d.type()).contains("_doc");
            assertThat(d.id()).isPresent();
        });
        assertThat(requested.stream().filter(d -> d.index().equals("untyped"))).allSatisfy(d -> {
            assertThat(d.type()).isEmpty();
            assertThat(d.id()).isEmpty();
        });
    }

    @Test
    void sendsServerlessDocumentsWithoutIdsTypeOrRotation() {
        firehose.createDeliveryStream(b -> b.deliveryStreamName("vectors")
                .amazonOpenSearchServerlessDestinationConfiguration(s -> s.roleARN(Streams.ROLE)
                        .collectionEndpoint(COLLECTION)
                        .indexName("vectors")
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .s3Configuration(c -> c.roleARN(Streams.ROLE).bucketARN("arn:aws:s3:::vectors-errors"))));
        awaitActive(firehose, "vectors");
        put(firehose, "vectors", documents("vectors", 4));
        await().atMost(WAIT).until(() -> receiver.index("vectors").size() == 4);
        assertThat(receiver.requests().stream()
                        .flatMap(r -> r.documents().stream())
                        .filter(d -> d.index().equals("vectors")))
                .allSatisfy(d -> {
                    assertThat(d.id()).isEmpty();
                    assertThat(d.type()).isEmpty();
                });
        String scrape = Scrapes.scrape(sluice.endpoint());
        assertThat(Scrapes.streamValue(
                        scrape, "firehose_DeliveryToAmazonOpenSearchServerless_Records_total", "vectors"))
                .isEqualTo(4);
    }

    @Test
    void retriesOnlyTheItemsAnswered429Or503UnderTheSameIds() {
        String stream = "throttled";
        receiver.answerItems((document, attempt) -> {
            if (!document.source().contains("\"n\":3}") && !document.source().contains("\"n\":7}")) {
                return Optional.empty();
            }
            return switch (attempt) {
                case 1 -> Optional.of(ItemError.tooManyRequests());
                case 2 -> Optional.of(ItemError.unavailable());
                default -> Optional.empty();
            };
        });
        createOpenSearch(stream, "throttled-errors", o -> o.retryOptions(r -> r.durationInSeconds(3600)));
        List<String> sent = put(firehose, stream, documents(stream, 10));
        await().atMost(WAIT).until(() -> receiver.index(today(stream)).size() == sent.size());
        List<BulkReceiver.Request> requests = receiver.requests().stream()
                .filter(r ->
                        !r.documents().isEmpty() && r.documents().get(0).index().startsWith(stream))
                .toList();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).documents()).hasSize(10);
        assertThat(requests.get(1).documents())
                .extracting(BulkReceiver.Document::source)
                .containsExactly(sent.get(3), sent.get(7));
        assertThat(requests.get(2).documents()).isEqualTo(requests.get(1).documents());
        assertThat(requests.get(1).documents())
                .extracting(BulkReceiver.Document::id)
                .containsExactly(
                        requests.get(0).documents().get(3).id(),
                        requests.get(0).documents().get(7).id());
        assertThat(localObjects(sluice.dataDir(), "throttled-errors")).isEmpty();
    }

    @Test
    void writesDocumentsTheClusterRefusesToTheErrorOutputAtOnce() throws Exception {
        String stream = "mapping";
        receiver.answerItems((document, attempt) -> document.source().contains("\"bad\"")
                ? Optional.of(ItemError.mapperParsing("failed to parse field [n] of type [long]"))
                : Optional.empty());
        createOpenSearch(
                stream, "mapping-errors", o -> o.typeName("_doc").retryOptions(r -> r.durationInSeconds(3600)));
        List<String> sent =
                put(firehose, stream, List.of("{\"n\":1}", "{\"n\":\"bad\"}", "{\"n\":3}", "{\"n\":\"bad\",\"m\":4}"));
        await().atMost(WAIT)
                .until(() -> !localObjects(sluice.dataDir(), "mapping-errors").isEmpty());
        assertThat(receiver.index(today(stream)).values()).containsExactlyInAnyOrder(sent.get(0), sent.get(2));
        List<BulkReceiver.Document> requested = receiver.requests().stream()
                .flatMap(r -> r.documents().stream())
                .filter(d -> d.index().startsWith(stream))
                .toList();
        assertThat(requested).hasSize(4);
        List<JsonNode> failed = errorDocuments(sluice.dataDir(), "mapping-errors", "AmazonOpenSearchService-failed/");
        assertThat(failed).extracting(SearchDeliveryIT::raw).containsExactly(sent.get(1), sent.get(3));
        for (int i = 0; i < failed.size(); i++) {
            JsonNode document = failed.get(i);
            assertThat(members(document))
                    .containsExactly(
                            "attemptsMade",
                            "arrivalTimestamp",
                            "errorCode",
                            "errorMessage",
                            "attemptEndingTimestamp",
                            "esDocumentId",
                            "esIndexName",
                            "esTypeName",
                            "rawData");
            assertThat(document.get("attemptsMade").asInt()).isEqualTo(1);
            assertThat(document.get("errorCode").asText()).isEqualTo("400");
            assertThat(document.get("errorMessage").asText())
                    .isEqualTo("mapper_parsing_exception: failed to parse field [n] of type [long]");
            assertThat(document.get("esDocumentId").asText())
                    .isEqualTo(requested.get(i * 2 + 1).id().orElseThrow());
            assertThat(document.get("esIndexName").asText()).isEqualTo(today(stream));
            assertThat(document.get("esTypeName").asText()).isEqualTo("_doc");
        }
    }

    @Test
    void writesRecordsThatAreNotJsonObjectsToTheErrorOutputWithoutSendingThem() throws Exception {
        String stream = "not-json";
        createOpenSearch(stream, "not-json-errors", o -> o.indexRotationPeriod("NoRotation"));
        put(
                firehose,
                stream,
                List.of("{\"ok\":1}", "plain text", "[1,2]", "{\"a\":1}{\"b\":2}", "{\n  \"multi\": 2\n}"));
        await().atMost(WAIT)
                .until(() -> !localObjects(sluice.dataDir(), "not-json-errors").isEmpty());
        await().atMost(WAIT).until(() -> receiver.index(stream).size() == 2);
        assertThat(receiver.index(stream).values()).containsExactlyInAnyOrder("{\"ok\":1}", "{\"multi\":2}");
        List<JsonNode> failed = errorDocuments(sluice.dataDir(), "not-json-errors", "AmazonOpenSearchService-failed/");
        assertThat(failed)
                .extracting(SearchDeliveryIT::raw)
                .containsExactly("plain text", "[1,2]", "{\"a\":1}{\"b\":2}");
        assertThat(failed)
                .allSatisfy(d -> assertThat(d.get("errorCode").asText()).isEqualTo("OS.NonJsonRecord"));
    }

    @Test
    void givesUpAfterTheRetryDurationWhenTheClusterFailsEveryRequest() throws Exception {
        String stream = "failing";
        receiver.answerEveryRequest(503);
        createOpenSearch(stream, "failing-errors", o -> o.retryOptions(r -> r.durationInSeconds(1)));
        List<String> sent = put(firehose, stream, documents(stream, 5));
        await().atMost(WAIT)
                .until(() -> !localObjects(sluice.dataDir(), "failing-errors").isEmpty());
        List<JsonNode> failed = errorDocuments(sluice.dataDir(), "failing-errors", "AmazonOpenSearchService-failed/");
        assertThat(failed).extracting(SearchDeliveryIT::raw).containsExactlyElementsOf(sent);
        long attempts = receiver.requests().stream()
                .filter(r ->
                        !r.documents().isEmpty() && r.documents().get(0).index().startsWith(stream))
                .count();
        assertThat(attempts).isGreaterThan(1);
        assertThat(failed).allSatisfy(d -> {
            assertThat(d.get("errorCode").asText()).isEqualTo("503");
            assertThat(d.get("errorMessage").asText()).contains("status 503");
            assertThat(d.get("attemptsMade").asLong()).isEqualTo(attempts);
            assertThat(d.get("esTypeName").isNull()).isTrue();
        });
        assertThat(receiver.index(today(stream))).isEmpty();
    }

    @Test
    void givesUpOnAnUnreachableElasticsearchClusterUnderItsOwnFolder() throws Exception {
        String stream = "unreachable";
        firehose.createDeliveryStream(b -> b.deliveryStreamName(stream)
                .elasticsearchDestinationConfiguration(e -> e.roleARN(Streams.ROLE)
                        .domainARN(DEAD_DOMAIN)
                        .indexName(stream)
                        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))
                        .retryOptions(r -> r.durationInSeconds(1))
                        .s3Configuration(c -> c.roleARN(Streams.ROLE)
                                .bucketARN("arn:aws:s3:::unreachable-errors")
                                .prefix("es/"))));
        awaitActive(firehose, stream);
        List<String> sent = put(firehose, stream, documents(stream, 3));
        await().atMost(WAIT)
                .until(() ->
                        !localObjects(sluice.dataDir(), "unreachable-errors").isEmpty());
        List<JsonNode> failed = errorDocuments(sluice.dataDir(), "unreachable-errors", "es/elasticsearch-failed/");
        assertThat(failed).extracting(SearchDeliveryIT::raw).containsExactlyElementsOf(sent);
        assertThat(failed)
                .allSatisfy(d -> assertThat(d.get("errorCode").asText()).isEqualTo("ES.ConnectionFailed"));
    }

    @Test
    void backsUpEveryDocumentWithAllDocuments() throws Exception {
        String stream = "all-documents";
        String bucket = "all-documents-bucket";
        createOpenSearch(
                stream,
                bucket,
                o -> o.s3BackupMode("AllDocuments")
                        .s3Configuration(s -> s.roleARN(Streams.ROLE)
                                .bucketARN("arn:aws:s3:::" + bucket)
                                .prefix("backup/")));
        List<String> sent = put(firehose, stream, documents(stream, 20));
        await().atMost(WAIT).until(() -> !localObjects(sluice.dataDir(), bucket).isEmpty());
        StringBuilder backedUp = new StringBuilder();
        for (Path object : localObjects(sluice.dataDir(), bucket)) {
            assertThat(Streams.key(sluice.dataDir(), bucket, object)).startsWith("backup/");
            backedUp.append(Files.readString(object, UTF_8));
        }
        assertThat(backedUp.toString()).isEqualTo(String.join("", sent));
        assertThat(receiver.index(today(stream)).values()).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void indexesWhatALambdaFunctionMadeOfTheRecords() throws Exception {
        String function = LambdaInvokeServer.arn("us-east-1", "wrap");
        try (LambdaInvokeServer lambda = LambdaInvokeServer.start()
                        .function(
                                "wrap",
                                event -> LambdaInvokeServer.Reply.Ok.json(TransformationAnswer.to(
                                        event,
                                        data -> data.startsWith("drop")
                                                ? TransformationAnswer.dropped()
                                                : TransformationAnswer.ok("{\"message\":\"" + data + "\"}"))));
                RunningSluice own = RunningSluice.start(config -> withClusters(config, clusters())
                        .withDelivery(withClusters(config, clusters())
                                .delivery()
                                .withFunctions(lambda.asDefaultEndpoint())));
                FirehoseClient client = own.client()) {
            createOpenSearch(
                    client,
                    "wrapped",
                    "wrapped-errors",
                    o -> o.indexRotationPeriod("NoRotation")
                            .processingConfiguration(p -> p.enabled(true)
                                    .processors(pr -> pr.type("Lambda")
                                            .parameters(pa -> pa.parameterName("LambdaArn")
                                                    .parameterValue(function)))));
            put(client, "wrapped", List.of("first line", "drop me", "second line"));
            await().atMost(WAIT).until(() -> receiver.index("wrapped").size() == 2);
            assertThat(receiver.index("wrapped").values())
                    .containsExactlyInAnyOrder("{\"message\":\"first line\"}", "{\"message\":\"second line\"}");
        }
    }

    private static SearchClustersConfig clusters() {
        return new SearchClustersConfig(
                Optional.empty(),
                Map.of(DOMAIN, new Cluster(receiver.url(), Authentication.NONE, Optional.empty())),
                Map.of(),
                Optional.empty(),
                SearchClustersConfig.Signing.DEFAULT,
                Duration.ofSeconds(5));
    }

    @Test
    void overwritesRatherThanDuplicatesWhenRestartedDuringRetries() {
        String stream = "restarted";
        try (RunningSluice own = RunningSluice.start(config -> withClusters(config, clusters()));
                FirehoseClient client = own.client()) {
            createOpenSearch(client, stream, "restarted-errors", o -> o.retryOptions(r -> r.durationInSeconds(3600)));
            receiver.answerItems((document, attempt) ->
                    document.index().startsWith(stream) && document.source().contains("\"n\":1")
                            ? Optional.of(ItemError.tooManyRequests())
                            : Optional.empty());
            List<String> sent = put(client, stream, documents(stream, 20));
            await().atMost(WAIT).until(() -> receiver.index(today(stream)).size() >= 9);
            await().atMost(WAIT)
                    .until(() -> receiver.requests().stream()
                                    .filter(r -> !r.documents().isEmpty()
                                            && r.documents().get(0).index().startsWith(stream))
                                    .count()
                            >= 3);
            own.restart();
            receiver.answerItems(BulkReceiver.ItemAnswer.OK);
            await().atMost(WAIT).until(() -> receiver.index(today(stream)).size() == sent.size());
            assertThat(receiver.index(today(stream)).values()).containsExactlyInAnyOrderElementsOf(sent);
            long sentAgain = receiver.requests().stream()
                    .flatMap(r -> r.documents().stream())
                    .filter(d -> d.index().startsWith(stream))
                    .count();
            assertThat(sentAgain).isGreaterThan(sent.size());
        }
    }
}
