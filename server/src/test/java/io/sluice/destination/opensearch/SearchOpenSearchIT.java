package io.sluice.destination.opensearch;

import static io.sluice.testing.Streams.localObjects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.OpenSearchNode;
import io.sluice.testing.RunningSluice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * Delivery to a real OpenSearch node ({@link OpenSearchNode}): documents searchable under Sluice's ids in
 * the rotated index, and a mapping conflict that makes some items fail while the others are indexed.
 */
class SearchOpenSearchIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Path dir;
    private static OpenSearchNode node;
    private static HttpClient http;

    @BeforeAll
    static void startNode() throws Exception {
        dir = Files.createTempDirectory("search-opensearch-");
        node = OpenSearchNode.start(dir.resolve("node"));
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (http != null) {
            http.close();
        }
        if (node != null) {
            node.close();
        }
        RunningSluice.deleteRecursively(dir);
    }

    private static JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(node.endpoint() + path))
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static long count(String index) throws Exception {
        call("POST", "/" + index + "/_refresh", "");
        return call("GET", "/" + index + "/_count", "").path("count").asLong(-1);
    }

    @Test
    void indexesSearchableDocumentsAndWritesTheItemsAMappingRefusesToTheErrorOutput() throws Exception {
        call("PUT", "/conflict", "{\"mappings\":{\"properties\":{\"n\":{\"type\":\"long\"}}}}");
        try (RunningSluice sluice = RunningSluice.start(config -> SearchDeliveryIT.withClusters(
                        config,
                        new SearchClustersConfig(
                                Optional.of(new SearchClustersConfig.Cluster(
                                        node.endpoint(), SearchClustersConfig.Authentication.NONE, Optional.empty())),
                                Map.of(),
                                Map.of(),
                                Optional.empty(),
                                SearchClustersConfig.Signing.DEFAULT,
                                Duration.ofSeconds(30))));
                FirehoseClient firehose = sluice.client()) {
            SearchDeliveryIT.createOpenSearch(firehose, "daily", "daily-errors", o -> {});
            SearchDeliveryIT.createOpenSearch(
                    firehose,
                    "conflict",
                    "conflict-errors",
                    o -> o.indexRotationPeriod("NoRotation").retryOptions(r -> r.durationInSeconds(3600)));
            List<String> sent = SearchDeliveryIT.put(firehose, "daily", SearchDeliveryIT.documents("daily", 30));
            SearchDeliveryIT.put(firehose, "conflict", List.of("{\"n\":1}", "{\"n\":\"not a number\"}", "{\"n\":3}"));

            String daily = "daily-" + LocalDate.now(ZoneOffset.UTC);
            await().atMost(WAIT).until(() -> count(daily) == sent.size());
            JsonNode hit = call("GET", "/" + daily + "/_search", "{\"query\":{\"term\":{\"n\":7}}}")
                    .path("hits")
                    .path("hits")
                    .get(0);
            assertThat(hit.path("_id").asText()).matches("[0-9a-f]{16}\\.\\d+\\.0");
            assertThat(JSON.writeValueAsString(hit.path("_source"))).isEqualTo(sent.get(7));

            await().atMost(WAIT)
                    .until(() ->
                            !localObjects(sluice.dataDir(), "conflict-errors").isEmpty());
            assertThat(count("conflict")).isEqualTo(2);
            List<JsonNode> failed = SearchDeliveryIT.errorDocuments(
                    sluice.dataDir(), "conflict-errors", "AmazonOpenSearchService-failed/");
            assertThat(failed).singleElement().satisfies(d -> {
                assertThat(SearchDeliveryIT.raw(d)).isEqualTo("{\"n\":\"not a number\"}");
                assertThat(d.get("errorCode").asText()).isEqualTo("400");
                assertThat(d.get("errorMessage").asText()).contains("parsing_exception");
                assertThat(d.get("esIndexName").asText()).isEqualTo("conflict");
                assertThat(d.get("attemptsMade").asInt()).isEqualTo(1);
            });
            assertThat(Files.readString(
                            localObjects(sluice.dataDir(), "conflict-errors").get(0), UTF_8))
                    .endsWith("\n");
        }
    }
}
