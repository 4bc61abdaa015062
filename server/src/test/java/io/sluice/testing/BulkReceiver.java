package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * A search cluster's {@code _bulk} API for tests, written to the published API of OpenSearch and
 * Elasticsearch: it parses NDJSON bodies (an action line, then a source line, per document), indexes
 * each document in memory under its {@code _index} and {@code _id} (a new id when none is given, so that
 * a document sent twice without an id is there twice), and answers per item as the real API does. A test
 * scripts failures: of whole requests ({@link #answerEveryRequest}: a 5xx, a 429), and of single
 * documents ({@link #answerItems}: a 400 {@code mapper_parsing_exception}, a 429 or 503 that a retry
 * overcomes). It can require HTTP basic authentication or a SigV4 signature, which it checks by signing
 * the request again with the AWS SDK. On loopback, on a free port; {@link #close()} stops it.
 */
public final class BulkReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** One document as the request named it. */
    public record Document(String action, String index, Optional<String> type, Optional<String> id, String source) {}

    /** A per-item failure: its status, and the error's {@code type} and {@code reason}. */
    public record ItemError(int status, String type, String reason) {
        public static ItemError mapperParsing(String reason) {
            return new ItemError(400, "mapper_parsing_exception", reason);
        }

        public static ItemError tooManyRequests() {
            return new ItemError(
                    429, "es_rejected_execution_exception", "rejected execution of coordinating operation");
        }

        public static ItemError unavailable() {
            return new ItemError(503, "unavailable_shards_exception", "primary shard is not active");
        }
    }

    /** How to answer one document; {@code attempt} counts the requests that carried its id, from 1. */
    @FunctionalInterface
    public interface ItemAnswer {
        Optional<ItemError> answer(Document document, int attempt);

        ItemAnswer OK = (document, attempt) -> Optional.empty();
    }

    /** What a request must carry to be let in. */
    public sealed interface Security {
        record None() implements Security {}

        record Basic(String username, String password) implements Security {}

        /** A SigV4 signature for {@code service} in {@code region} made with these keys. */
        record SigV4(String accessKey, String secretKey, String service, String region) implements Security {}
    }

    /** One request as received: its headers of interest and documents. */
    public record Request(Map<String, String> headers, List<Document> documents, int status) {}

    private final HttpServer server;
    private final Security security;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, String>> indexes = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> attemptsById = new LinkedHashMap<>();
    private volatile int everyRequest = 200;
    private volatile ItemAnswer items = ItemAnswer.OK;

    private BulkReceiver(Security security) throws IOException {
        this.security = security;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static BulkReceiver start() throws IOException {
        return new BulkReceiver(new Security.None());
    }

    public static BulkReceiver start(Security security) throws IOException {
        return new BulkReceiver(security);
    }

    /** The cluster's URL, without a path. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers every later request with {@code status} (200: per item, as scripted by {@link #answerItems}). */
    public void answerEveryRequest(int status) {
        this.everyRequest = status;
    }

    /** Answers the documents of later requests as {@code answer} says. */
    public void answerItems(ItemAnswer answer) {
        this.items = answer;
    }

    /** Every request received, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** What was wrong with requests: not the bulk API, or unauthenticated; empty when all were right. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** The documents of {@code index} by id, in the order first indexed. */
    public synchronized Map<String, String> index(String index) {
        return Map.copyOf(indexes.getOrDefault(index, Map.of()));
    }

    /** Every index's documents by id. */
    public synchronized Map<String, Map<String, String>> indexes() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        indexes.forEach((name, docs) -> copy.put(name, new LinkedHashMap<>(docs)));
        return copy;
    }

    /** The sources of every indexed document, in the order first indexed. */
    public synchronized List<String> sources() {
        List<String> all = new ArrayList<>();
        indexes.values().forEach(docs -> all.addAll(docs.values()));
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            Optional<String> refused = refusal(exchange, headers, body);
            if (refused.isPresent()) {
                violations.add(refused.get());
                requests.add(new Request(headers, List.of(), 401));
                respond(exchange, 401, "{\"error\":\"" + refused.get() + "\",\"status\":401}");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")
                    || !exchange.getRequestURI().getPath().endsWith("/_bulk")) {
                violations.add("not a bulk request: " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
                respond(exchange, 400, "{\"error\":\"no handler\",\"status\":400}");
                return;
            }
            List<Document> documents;
            try {
                documents = documents(new String(body, UTF_8));
            } catch (IllegalArgumentException | IOException e) {
                violations.add("malformed bulk body: " + e.getMessage());
                requests.add(new Request(headers, List.of(), 400));
                respond(
                        exchange,
                        400,
                        "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\""
                                + e.getMessage().replace('"', '\'') + "\"},\"status\":400}");
                return;
            }
            int status = everyRequest;
            requests.add(new Request(headers, documents, status));
            if (status != 200) {
                respond(
                        exchange,
                        status,
                        "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"scripted"
                                + " failure\"},\"status\":" + status + "}");
                return;
            }
            respond(exchange, 200, JSON.writeValueAsString(index(documents)));
        }
    }

    /** Why the request may not in, if it may not. */
    private Optional<String> refusal(HttpExchange exchange, Map<String, String> headers, byte[] body) {
        String authorization = headers.getOrDefault("authorization", "");
        return switch (security) {
            case Security.None none -> Optional.empty();
            case Security.Basic basic ->
                authorization.equals("Basic "
                                + Base64.getEncoder()
                                        .encodeToString((basic.username() + ":" + basic.password()).getBytes(UTF_8)))
                        ? Optional.empty()
                        : Optional.of("basic authentication missing or wrong: " + authorization);
            case Security.SigV4 sigV4 -> {
                String expected = signature(exchange, headers, body, sigV4);
                yield authorization.equals(expected)
                        ? Optional.empty()
                        : Optional.of("signature " + authorization + " is not " + expected);
            }
        };
    }

    /** The Authorization header the SDK makes for the request as received, with the signed headers it names. */
    private String signature(HttpExchange exchange, Map<String, String> headers, byte[] body, Security.SigV4 keys) {
        String date = headers.get("x-amz-date");
        int signedAt = headers.getOrDefault("authorization", "").indexOf("SignedHeaders=");
        if (date == null || signedAt < 0) {
            return "(a SigV4 signature)";
        }
        String auth = headers.get("authorization");
        String[] signed = auth.substring(signedAt + "SignedHeaders=".length(), auth.indexOf(',', signedAt))
                .split(";");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                .uri(URI.create(url() + exchange.getRequestURI().toString()));
        for (String name : signed) {
            if (!name.equals("host") && !name.equals("x-amz-date") && headers.containsKey(name)) {
                request.putHeader(name, headers.get(name));
            }
        }
        Instant at = Instant.from(AMZ_DATE.parse(date));
        return AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create(keys.accessKey(), keys.secretKey()))
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, keys.service())
                        .putProperty(AwsV4HttpSigner.REGION_NAME, keys.region())
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request()
                .firstMatchingHeader("Authorization")
                .orElse("");
    }

    /** The documents of an NDJSON body; refuses what the bulk API refuses as a whole. */
    private static List<Document> documents(String body) throws IOException {
        if (!body.endsWith("\n")) {
            throw new IllegalArgumentException("The bulk request must be terminated by a newline [\\n]");
        }
        String[] lines = body.split("\n", -1);
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i + 1 < lines.length; i += 2) {
            JsonNode action = JSON.readTree(lines[i]);
            if (action == null || !action.isObject() || action.size() != 1) {
                throw new IllegalArgumentException("Malformed action/metadata line [" + (i + 1) + "]");
            }
            String name = action.fieldNames().next();
            JsonNode meta = action.get(name);
            if (!List.of("index", "create").contains(name)
                    || !meta.path("_index").isTextual()) {
                throw new IllegalArgumentException("Malformed action/metadata line [" + (i + 1) + "]");
            }
            documents.add(new Document(
                    name,
                    meta.get("_index").asText(),
                    Optional.ofNullable(meta.get("_type")).map(JsonNode::asText),
                    Optional.ofNullable(meta.get("_id")).map(JsonNode::asText),
                    lines[i + 1]));
        }
        if (lines.length % 2 != 1) {
            throw new IllegalArgumentException("an action line has no source line");
        }
        return documents;
    }

    /** Indexes the documents as scripted and answers per item. */
    private synchronized ObjectNode index(List<Document> documents) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("took", 3);
        ArrayNode answered = JSON.createArrayNode();
        boolean errors = false;
        for (Document document : documents) {
            String id = document.id().orElseGet(() -> UUID.randomUUID().toString());
            int attempt =
                    attemptsById.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
            Optional<ItemError> error = sourceError(document.source()).or(() -> items.answer(document, attempt));
            ObjectNode item = answered.addObject().putObject(document.action());
            item.put("_index", document.index());
            item.put("_id", id);
            if (error.isPresent()) {
                errors = true;
                item.put("status", error.get().status());
                item.putObject("error")
                        .put("type", error.get().type())
                        .put("reason", error.get().reason())
                        .put("index", document.index());
                continue;
            }
            Map<String, String> index = indexes.computeIfAbsent(document.index(), n -> new LinkedHashMap<>());
            boolean created = index.put(id, document.source()) == null;
            item.put("_version", attempt);
            item.put("result", created ? "created" : "updated");
            item.putObject("_shards").put("total", 1).put("successful", 1).put("failed", 0);
            item.put("status", created ? 201 : 200);
        }
        answer.put("errors", errors);
        answer.set("items", answered);
        return answer;
    }

    /** What the cluster answers a source that is not a JSON object. */
    private static Optional<ItemError> sourceError(String source) {
        try {
            JsonNode node = JSON.readTree(source);
            return node != null && node.isObject()
                    ? Optional.empty()
                    : Optional.of(ItemError.mapperParsing("failed to parse: the source is not an object"));
        } catch (IOException e) {
            return Optional.of(ItemError.mapperParsing("failed to parse"));
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
