package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link OpenSearchNode} fixture: a real node answers the REST calls an OpenSearch destination makes
 * ({@code _bulk} with NDJSON, refresh, {@code _search}, index creation with a mapping, {@code _mapping},
 * {@code _cluster/health}), with a result per bulk item, on loopback only; closing it ends the child JVM
 * and deletes its directory.
 */
class OpenSearchNodeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static OpenSearchNode node;
    private static HttpClient http;

    @BeforeAll
    static void startNode() throws IOException {
        dir = Files.createTempDirectory("opensearch-node-");
        node = OpenSearchNode.start(dir.resolve("node"));
        http = HttpClient.newHttpClient();
        System.out.printf(
                "OpenSearch node pid %d ready in %d ms, RSS %d MiB%n",
                node.pid(), node.startTime().toMillis(), node.residentBytes() >> 20);
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (http != null) {
            http.close();
        }
        if (node == null) {
            return;
        }
        System.out.printf("OpenSearch node RSS after the tests: %d MiB%n", node.residentBytes() >> 20);
        long pid = node.pid();
        node.close();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("the child JVM after close()")
                .isEmpty();
        assertThat(dir.resolve("node")).doesNotExist();
        Files.delete(dir);
    }

    @Test
    void bindsLoopbackOnlyAndIsHealthy() throws Exception {
        assertThat(node.endpoint().getHost()).isEqualTo("127.0.0.1");
        JsonNode health = call("GET", "/_cluster/health", null, 200);
        assertThat(health.path("cluster_name").asText()).isEqualTo("sluice-test");
        assertThat(health.path("status").asText()).isIn("green", "yellow");
        assertThat(health.path("number_of_nodes").asInt()).isEqualTo(1);

        JsonNode nodes = call("GET", "/_nodes/_local/http,transport", null, 200).path("nodes");
        List<String> bound = new ArrayList<>();
        nodes.elements().forEachRemaining(n -> {
            n.path("http").path("bound_address").forEach(a -> bound.add(a.asText()));
            n.path("transport").path("bound_address").forEach(a -> bound.add(a.asText()));
        });
        assertThat(bound).hasSize(2).allMatch(address -> address.startsWith("127.0.0.1:"));
    }

    @Test
    void bulkIndexesNdjsonAndSearchFindsIt() throws Exception {
        String ndjson = """
                {"index":{"_index":"events","_id":"1"}}
                {"user":"ada","n":1}
                {"index":{"_index":"events","_id":"2"}}
                {"user":"grace","n":2}
                {"create":{"_index":"events"}}
                {"user":"ada","n":3}
                """;
        JsonNode bulk = call("POST", "/_bulk", ndjson, 200);
        assertThat(bulk.path("errors").asBoolean()).isFalse();
        assertThat(bulk.path("items")).hasSize(3);
        bulk.path("items")
                .forEach(
                        item -> assertThat(item.elements().next().path("status").asInt())
                                .isEqualTo(201));

        call("POST", "/events/_refresh", null, 200);
        JsonNode search = call("POST", "/events/_search", "{\"query\":{\"term\":{\"user.keyword\":\"ada\"}}}", 200);
        assertThat(search.path("hits").path("total").path("value").asInt()).isEqualTo(2);
        List<Integer> ns = new ArrayList<>();
        search.path("hits")
                .path("hits")
                .forEach(hit -> ns.add(hit.path("_source").path("n").asInt()));
        assertThat(ns).containsExactlyInAnyOrder(1, 3);
    }

    @Test
    void bulkReportsAMappingFailurePerItem() throws Exception {
        call("PUT", "/typed", "{\"mappings\":{\"properties\":{\"n\":{\"type\":\"integer\"}}}}", 200);
        JsonNode mapping = call("GET", "/typed/_mapping", null, 200);
        assertThat(mapping.path("typed")
                        .path("mappings")
                        .path("properties")
                        .path("n")
                        .path("type")
                        .asText())
                .isEqualTo("integer");

        String ndjson = """
                {"index":{"_index":"typed"}}
                {"n":1}
                {"index":{"_index":"typed"}}
                {"n":"not a number"}
                {"index":{"_index":"typed"}}
                {"n":3}
                """;
        JsonNode bulk = call("POST", "/_bulk?refresh=true", ndjson, 200);
        assertThat(bulk.path("errors").asBoolean()).isTrue();
        JsonNode items = bulk.path("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).path("index").path("status").asInt()).isEqualTo(201);
        assertThat(items.get(1).path("index").path("status").asInt()).isEqualTo(400);
        assertThat(items.get(1).path("index").path("error").path("type").asText())
                .isEqualTo("mapper_parsing_exception");
        assertThat(items.get(2).path("index").path("status").asInt()).isEqualTo(201);

        JsonNode count = call("GET", "/typed/_count", null, 200);
        assertThat(count.path("count").asInt()).isEqualTo(2);
    }

    private static JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.endpoint() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("%s %s: %s", method, path, response.body())
                .isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }
}
