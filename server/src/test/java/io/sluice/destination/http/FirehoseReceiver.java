package io.sluice.destination.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP endpoint written to Firehose's published protocol 1.0, for tests: it checks every request
 * as a strict receiver does (Vector's source is the model: 400 for a missing header or unsupported
 * protocol version or encoding, 401 for a wrong access key), records what was accepted, and answers as
 * a script says. On loopback, on a free port; {@link #close()} stops it.
 */
final class FirehoseReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How to answer a well-formed request. */
    enum Answer {
        OK,
        STATUS_500,
        STATUS_503,
        STATUS_413,
        WRONG_REQUEST_ID,
        NOT_JSON,
        HANG
    }

    /** What the stream is configured with, so that requests can be checked against it. */
    record Expected(String sourceArn, Optional<String> accessKey, Map<String, String> commonAttributes, boolean gzip) {}

    /** One request as received. */
    record Attempt(String requestId, Answer answer, List<byte[]> records) {}

    private final HttpServer server;
    private final Expected expected;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final List<byte[]> accepted = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Answer answer = Answer.OK;

    private FirehoseReceiver(Expected expected) throws IOException {
        this.expected = expected;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    static FirehoseReceiver start(Expected expected) throws IOException {
        return new FirehoseReceiver(expected);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/firehose?tenant=t1";
    }

    void answer(Answer next) {
        this.answer = next;
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    List<String> acceptedRecords() {
        return accepted.stream().map(b -> new String(b, UTF_8)).toList();
    }

    /** What was wrong with requests; empty when every request followed the protocol. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer now = answer;
            Optional<String> problem = check(exchange);
            if (problem.isPresent()) {
                violations.add(problem.get());
                respond(exchange, problem.get().startsWith("access key") ? 401 : 400, "text/plain", problem.get());
                return;
            }
            Body body = body(exchange);
            if (body.problem().isPresent()) {
                violations.add(body.problem().get());
                respond(exchange, 400, "text/plain", body.problem().get());
                return;
            }
            attempts.add(new Attempt(body.requestId(), now, body.records()));
            switch (now) {
                case OK -> {
                    accepted.addAll(body.records());
                    respond(exchange, 200, "application/json", success(body.requestId()));
                }
                case STATUS_500 ->
                    respond(exchange, 500, "application/json", "{\"errorMessage\":\"receiver broke (500)\"}");
                case STATUS_503 -> respond(exchange, 503, "text/plain", "receiver busy (503)");
                case STATUS_413 -> respond(exchange, 413, "text/plain", "too large (413)");
                case WRONG_REQUEST_ID -> respond(exchange, 200, "application/json", success("not-" + body.requestId()));
                case NOT_JSON -> respond(exchange, 200, "application/json", "<html>ok</html>");
                case HANG -> {
                    try {
                        released.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    private static String success(String requestId) {
        return "{\"requestId\":\"" + requestId + "\",\"timestamp\":" + System.currentTimeMillis() + "}";
    }

    private Optional<String> check(HttpExchange exchange) {
        var headers = exchange.getRequestHeaders();
        if (!exchange.getRequestMethod().equals("POST")) {
            return Optional.of("method " + exchange.getRequestMethod() + " is not POST");
        }
        if (!"/firehose".equals(exchange.getRequestURI().getPath())
                || !"tenant=t1".equals(exchange.getRequestURI().getQuery())) {
            return Optional.of("path and query not kept: " + exchange.getRequestURI());
        }
        for (String required :
                List.of("X-Amz-Firehose-Protocol-Version", "X-Amz-Firehose-Request-Id", "X-Amz-Firehose-Source-Arn")) {
            if (headers.getFirst(required) == null) {
                return Optional.of("Required header missing: " + required);
            }
        }
        if (!"1.0".equals(headers.getFirst("X-Amz-Firehose-Protocol-Version"))) {
            return Optional.of("unsupported protocol version " + headers.getFirst("X-Amz-Firehose-Protocol-Version"));
        }
        if (!expected.sourceArn().equals(headers.getFirst("X-Amz-Firehose-Source-Arn"))) {
            return Optional.of("source ARN " + headers.getFirst("X-Amz-Firehose-Source-Arn"));
        }
        if (!expected.accessKey().equals(Optional.ofNullable(headers.getFirst("X-Amz-Firehose-Access-Key")))) {
            return Optional.of("access key is wrong or missing");
        }
        if (!"application/json".equals(headers.getFirst("Content-Type"))) {
            return Optional.of("Content-Type " + headers.getFirst("Content-Type"));
        }
        String encoding = headers.getFirst("Content-Encoding");
        if (expected.gzip() ? !"gzip".equals(encoding) : encoding != null) {
            return Optional.of("Content-Encoding " + encoding);
        }
        if (headers.getFirst("Content-Length") == null) {
            return Optional.of("Content-Length missing");
        }
        try {
            JsonNode attributes = JSON.readTree(headers.getFirst("X-Amz-Firehose-Common-Attributes"));
            Map<String, String> sent = JSON.convertValue(
                    attributes.get("commonAttributes"),
                    JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            if (attributes.size() != 1 || !expected.commonAttributes().equals(sent)) {
                return Optional.of("common attributes " + attributes);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("common attributes unreadable: " + e);
        }
        return Optional.empty();
    }

    private record Body(String requestId, List<byte[]> records, Optional<String> problem) {
        static Body invalid(String problem) {
            return new Body("", List.of(), Optional.of(problem));
        }
    }

    private Body body(HttpExchange exchange) throws IOException {
        byte[] raw;
        try (InputStream in =
                expected.gzip() ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        JsonNode json = JSON.readTree(raw);
        String headerId = exchange.getRequestHeaders().getFirst("X-Amz-Firehose-Request-Id");
        if (json == null || !json.isObject() || json.size() != 3) {
            return Body.invalid("body is not an object of requestId, timestamp, records");
        }
        if (!json.path("requestId").isTextual()
                || !json.get("requestId").asText().equals(headerId)) {
            return Body.invalid("body requestId differs from the header");
        }
        if (!json.path("timestamp").isIntegralNumber()) {
            return Body.invalid("timestamp is not epoch milliseconds");
        }
        JsonNode records = json.path("records");
        if (!records.isArray() || records.isEmpty() || records.size() > 10_000) {
            return Body.invalid("records is not an array of 1 to 10000 items");
        }
        List<byte[]> decoded = new ArrayList<>();
        for (JsonNode record : records) {
            if (record.size() != 1 || !record.path("data").isTextual()) {
                return Body.invalid("a record is not {\"data\":<base64>}");
            }
            try {
                decoded.add(Base64.getDecoder().decode(record.get("data").asText()));
            } catch (IllegalArgumentException e) {
                return Body.invalid("data is not base64");
            }
        }
        return new Body(headerId, decoded, Optional.empty());
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
