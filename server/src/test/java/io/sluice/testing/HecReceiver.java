package io.sluice.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * Splunk's HTTP Event Collector for tests, written to its published protocol: the event endpoint
 * ({@code /services/collector/event}, also {@code /services/collector} and {@code /event/1.0}: JSON
 * objects concatenated, each with a non-blank {@code event}), the raw endpoint ({@code
 * /services/collector/raw}, also {@code /raw/1.0}), indexer acknowledgement ({@code
 * /services/collector/ack}: ids count from 0 per channel, an id is reported {@code true} once and is
 * then consumed) and {@code GET /services/collector/health}. Replies are Splunk's {@code
 * {"text":...,"code":N}} bodies with its status codes. A request in error indexes nothing. Tokens are
 * added by the test; when a token has acknowledgement on, every request needs a channel GUID ({@code
 * X-Splunk-Request-Channel} or {@code ?channel=}); the raw endpoint always needs one. The test decides
 * when acks turn true ({@link #acknowledge}), scripts whole-request failures ({@link #answerNext}) and
 * reads what was indexed and what a conforming sender should never have sent ({@link #violations()}).
 * On loopback; {@link #close()} stops it, and {@link #start(int)} starts a fresh one (no
 * tokens, no data: as a restarted Splunk that lost its channels) on the same port.
 */
public final class HecReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> EVENT_PATHS =
            Set.of("/services/collector", "/services/collector/event", "/services/collector/event/1.0");
    private static final Set<String> RAW_PATHS = Set.of("/services/collector/raw", "/services/collector/raw/1.0");
    private static final Set<String> ACK_PATHS = Set.of("/services/collector/ack", "/services/collector/ack/1.0");
    private static final Set<String> HEALTH_PATHS =
            Set.of("/services/collector/health", "/services/collector/health/1.0");

    /** The endpoint that indexed an event. */
    public enum Endpoint {
        EVENT,
        RAW
    }

    /** When an ack id turns {@code true}: on its first query, on its n-th query, or never (a lost ack). */
    public sealed interface AckPolicy {
        AckPolicy IMMEDIATELY = new AfterQueries(1);
        AckPolicy NEVER = new Never();

        static AckPolicy afterQueries(int queries) {
            return new AfterQueries(queries);
        }

        /** {@code true} on the {@code queries}-th query of the id (from 1). */
        record AfterQueries(int queries) implements AckPolicy {
            public AfterQueries {
                if (queries < 1) {
                    throw new IllegalArgumentException("queries must be at least 1: " + queries);
                }
            }
        }

        /** Always {@code false}; the data stays indexed. */
        record Never() implements AckPolicy {}
    }

    /** One request as received; {@code code} is the HEC code answered ({@code -1} when none). */
    public record Request(
            String method,
            String path,
            String query,
            Optional<String> token,
            Optional<String> channel,
            Map<String, String> headers,
            int bodyLength,
            int status,
            int code) {}

    /**
     * One indexed event: for {@link Endpoint#EVENT} {@code json} is the whole event object and {@code
     * event} its {@code event} member, both as JSON text; for {@link Endpoint#RAW} both are the line.
     */
    public record IndexedEvent(
            Endpoint endpoint, String token, Optional<String> channel, OptionalLong ackId, String json, String event) {}

    /** The body of one raw request, as received (after gzip decoding). */
    public record RawChunk(String token, Optional<String> channel, OptionalLong ackId, byte[] body) {
        public String text() {
            return new String(body, UTF_8);
        }
    }

    private record Token(boolean enabled, boolean ack, Optional<Set<String>> indexes) {}

    private record Scripted(long remaining, int status, int code, String text) {}

    /** Ack ids of one channel: the next to give, and those given and not yet consumed with their query counts. */
    private static final class Channel {
        long next;
        final Map<Long, Integer> pending = new HashMap<>();
    }

    /** Events indexed by one request, under one ack id. */
    private record Batch(String channel, long ackId, List<IndexedEvent> events) {}

    /** An answer that ends a request's handling: status, code, text, and extra members. */
    private static final class Refusal extends Exception {
        final int status;
        final int code;
        final OptionalLong eventNumber;

        Refusal(int status, int code, String text, OptionalLong eventNumber) {
            super(text, null, false, false);
            this.status = status;
            this.code = code;
            this.eventNumber = eventNumber;
        }

        Refusal(int status, int code, String text) {
            this(status, code, text, OptionalLong.empty());
        }
    }

    private final HttpServer server;
    private final String scheme;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicReference<Scripted> scripted = new AtomicReference<>(new Scripted(0, 200, 0, ""));
    private volatile AckPolicy ackPolicy = AckPolicy.IMMEDIATELY;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean healthy = true;
    // Guarded by this.
    private final Map<String, Channel> channels = new HashMap<>();
    private final List<IndexedEvent> indexed = new ArrayList<>();
    private final List<RawChunk> rawChunks = new ArrayList<>();
    private final Map<String, Batch> batches = new HashMap<>();
    private final List<Batch> acknowledged = new ArrayList<>();

    private HecReceiver(int port, Optional<SSLContext> tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (tls.isPresent()) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
            this.server = https;
        } else {
            this.server = HttpServer.create(address, 0);
        }
        this.scheme = tls.isPresent() ? "https" : "http";
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static HecReceiver start() throws IOException {
        return new HecReceiver(0, Optional.empty());
    }

    /** A receiver speaking HTTPS with the certificate of {@code tls}. */
    public static HecReceiver startHttps(SSLContext tls) throws IOException {
        return new HecReceiver(0, Optional.of(tls));
    }

    /** A fresh receiver on {@code port}, e.g. the port of one closed before. */
    public static HecReceiver start(int port) throws IOException {
        return new HecReceiver(port, Optional.empty());
    }

    /** The collector's URL, without a path. */
    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Adds an enabled token with indexer acknowledgement on. */
    public void addToken(String token) {
        addToken(token, true, true);
    }

    public void addToken(String token, boolean enabled, boolean ackEnabled) {
        tokens.put(token, new Token(enabled, ackEnabled, Optional.empty()));
    }

    /** Restricts {@code token} to {@code indexes}: an event naming another index is refused with code 7. */
    public void allowIndexes(String token, Set<String> indexes) {
        tokens.computeIfPresent(
                token, (t, old) -> new Token(old.enabled(), old.ack(), Optional.of(Set.copyOf(indexes))));
    }

    /** When ack ids turn true from now on (the default is {@link AckPolicy#IMMEDIATELY}). */
    public void acknowledge(AckPolicy policy) {
        this.ackPolicy = policy;
    }

    /** Answers the next {@code requests} event or raw requests with this error, before any other check. */
    public void answerNext(int requests, int status, int code, String text) {
        scripted.set(new Scripted(requests, status, code, text));
    }

    /** Answers every later event or raw request with this error, until {@link #answerNormally()}. */
    public void answerAll(int status, int code, String text) {
        scripted.set(new Scripted(Long.MAX_VALUE, status, code, text));
    }

    /** Ends scripted failures. */
    public void answerNormally() {
        scripted.set(new Scripted(0, 200, 0, ""));
    }

    /** Waits this long before answering each later event or raw request. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Whether the health endpoint answers healthy (200, code 17) or unhealthy (503, code 18). */
    public void healthy(boolean healthy) {
        this.healthy = healthy;
    }

    /** Every request received, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** What a conforming sender should never have sent; empty when all was right. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Every indexed event, in arrival order. */
    public synchronized List<IndexedEvent> indexed() {
        return List.copyOf(indexed);
    }

    /** The {@code event} member of each indexed event as JSON text, or the raw line, in arrival order. */
    public synchronized List<String> events() {
        return indexed.stream().map(IndexedEvent::event).toList();
    }

    /** The bodies of raw requests that were indexed, in arrival order. */
    public synchronized List<RawChunk> rawChunks() {
        return List.copyOf(rawChunks);
    }

    /** As {@link #events()}, of the requests whose ack id was reported {@code true}, in the order reported. */
    public synchronized List<String> acknowledgedEvents() {
        return acknowledged.stream()
                .flatMap(batch -> batch.events().stream())
                .map(IndexedEvent::event)
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] sent;
            try (InputStream in = exchange.getRequestBody()) {
                sent = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String query =
                    Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
            Map<String, String> parameters = parameters(query);
            Optional<String> token = token(headers.get("authorization"));
            Optional<String> channel = Optional.ofNullable(headers.get("x-splunk-request-channel"))
                    .or(() -> Optional.ofNullable(parameters.get("channel")));
            int status;
            ObjectNode answer;
            try {
                answer = answer(method, path, parameters, headers, token, channel, sent);
                status = 200;
            } catch (Refusal refusal) {
                status = refusal.status;
                ObjectNode refused = JSON.createObjectNode()
                        .put("text", refusal.getMessage())
                        .put("code", refusal.code);
                refusal.eventNumber.ifPresent(n -> refused.put("invalid-event-number", n));
                answer = refused;
            }
            // recorded before the answer goes out, so that a client that has its answer finds its request here
            requests.add(new Request(
                    method,
                    path,
                    query,
                    token,
                    channel,
                    Map.copyOf(headers),
                    sent.length,
                    status,
                    answer.path("code").asInt(-1)));
            respond(exchange, status, answer);
        }
    }

    private ObjectNode answer(
            String method,
            String path,
            Map<String, String> parameters,
            Map<String, String> headers,
            Optional<String> token,
            Optional<String> channel,
            byte[] sent)
            throws Refusal, IOException {
        String where = method + " " + path;
        if (HEALTH_PATHS.contains(path) && method.equals("GET")) {
            if (!healthy) {
                throw new Refusal(503, 18, "HEC is unhealthy, queues are full");
            }
            return success(17, "HEC is healthy");
        }
        boolean event = EVENT_PATHS.contains(path);
        boolean raw = RAW_PATHS.contains(path);
        boolean ack = ACK_PATHS.contains(path);
        if (!method.equals("POST") || !(event || raw || ack)) {
            violations.add("not a HEC endpoint: " + where);
            throw new Refusal(404, 404, "The requested URL was not found on this server.");
        }
        if (event || raw) {
            scripted();
        }
        if (!headers.containsKey("content-length")) {
            violations.add(where + " has no Content-Length");
        }
        Token granted = authenticate(where, headers, token);
        if (ack && !granted.ack()) {
            throw new Refusal(400, 14, "ACK is disabled");
        }
        Optional<String> guid = channel(where, channel, granted.ack() || raw);
        byte[] body = decoded(where, headers, sent);
        if (ack) {
            return acks(where, guid.orElseThrow(), body);
        }
        if (new String(body, UTF_8).isBlank()) {
            violations.add(where + " has no data");
            throw new Refusal(400, 5, "No data");
        }
        if (raw) {
            Optional<String> index = Optional.ofNullable(parameters.get("index"));
            if (index.isPresent() && !allowed(granted, index.get())) {
                throw new Refusal(400, 7, "Incorrect index", OptionalLong.of(0));
            }
        }
        List<JsonNode> events = raw ? List.of() : events(body, granted);
        return index(token.orElseThrow(), granted, guid, raw, body, events);
    }

    /** Throws the scripted failure, if one is due; waits the scripted delay first. */
    private void scripted() throws Refusal {
        Duration wait = delay;
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Scripted due = scripted.getAndUpdate(s -> s.remaining() > 0
                ? new Scripted(
                        s.remaining() == Long.MAX_VALUE ? s.remaining() : s.remaining() - 1,
                        s.status(),
                        s.code(),
                        s.text())
                : s);
        if (due.remaining() > 0) {
            throw new Refusal(due.status(), due.code(), due.text());
        }
    }

    private Token authenticate(String where, Map<String, String> headers, Optional<String> token) throws Refusal {
        String authorization = headers.get("authorization");
        if (authorization == null) {
            violations.add(where + " has no Authorization header");
            throw new Refusal(401, 2, "Token is required");
        }
        if (token.isEmpty()) {
            violations.add(where + " has Authorization " + authorization + ", not Splunk <token>");
            throw new Refusal(401, 3, "Invalid authorization");
        }
        Token granted = tokens.get(token.get());
        if (granted == null) {
            throw new Refusal(403, 4, "Invalid token");
        }
        if (!granted.enabled()) {
            throw new Refusal(403, 1, "Token disabled");
        }
        return granted;
    }

    private Optional<String> channel(String where, Optional<String> channel, boolean required) throws Refusal {
        if (channel.isEmpty()) {
            if (required) {
                violations.add(where + " has no channel");
                throw new Refusal(400, 10, "Data channel is missing");
            }
            return channel;
        }
        if (!GUID.matcher(channel.get()).matches()) {
            violations.add(where + " has channel " + channel.get() + ", not a GUID");
            throw new Refusal(400, 11, "Invalid data channel");
        }
        return channel;
    }

    private byte[] decoded(String where, Map<String, String> headers, byte[] sent) throws Refusal {
        String encoding = headers.getOrDefault("content-encoding", "identity");
        if (encoding.equalsIgnoreCase("identity")) {
            return sent;
        }
        if (!encoding.equalsIgnoreCase("gzip")) {
            violations.add(where + " has Content-Encoding " + encoding);
            throw new Refusal(400, 6, "Invalid data format");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(sent))) {
            return in.readAllBytes();
        } catch (IOException e) {
            violations.add(where + " is not gzip: " + e.getMessage());
            throw new Refusal(400, 6, "Invalid data format");
        }
    }

    /** The events of an event-endpoint body; refuses the whole body at the first bad one. */
    private static List<JsonNode> events(byte[] body, Token granted) throws Refusal, IOException {
        List<JsonNode> events = new ArrayList<>();
        try (JsonParser parser = JSON.getFactory().createParser(body)) {
            while (true) {
                OptionalLong number = OptionalLong.of(events.size());
                JsonNode event;
                try {
                    JsonToken next = parser.nextToken();
                    if (next == null) {
                        return events;
                    }
                    if (next != JsonToken.START_OBJECT) {
                        throw new Refusal(400, 6, "Invalid data format", number);
                    }
                    event = JSON.readTree(parser);
                } catch (JsonProcessingException e) {
                    throw new Refusal(400, 6, "Invalid data format", number);
                }
                JsonNode member = event.get("event");
                if (member == null) {
                    throw new Refusal(400, 12, "Event field is required", number);
                }
                if (member.isNull() || (member.isTextual() && member.asText().isBlank())) {
                    throw new Refusal(400, 13, "Event field cannot be blank", number);
                }
                JsonNode index = event.get("index");
                if (index != null && !(index.isTextual() && allowed(granted, index.asText()))) {
                    throw new Refusal(400, 7, "Incorrect index", number);
                }
                events.add(event);
            }
        }
    }

    private static boolean allowed(Token granted, String index) {
        return granted.indexes().map(allowed -> allowed.contains(index)).orElse(true);
    }

    /** Indexes a request's events under a new ack id of its channel when ack is on. */
    private synchronized ObjectNode index(
            String token, Token granted, Optional<String> channel, boolean raw, byte[] body, List<JsonNode> events)
            throws JsonProcessingException {
        OptionalLong ackId = OptionalLong.empty();
        if (granted.ack()) {
            Channel state = channels.computeIfAbsent(channel.orElseThrow(), c -> new Channel());
            ackId = OptionalLong.of(state.next++);
            state.pending.put(ackId.getAsLong(), 0);
        }
        List<IndexedEvent> batch = new ArrayList<>();
        if (raw) {
            rawChunks.add(new RawChunk(token, channel, ackId, body.clone()));
            for (String line : new String(body, UTF_8).split("\r?\n")) {
                if (!line.isEmpty()) {
                    batch.add(new IndexedEvent(Endpoint.RAW, token, channel, ackId, line, line));
                }
            }
        } else {
            for (JsonNode event : events) {
                batch.add(new IndexedEvent(
                        Endpoint.EVENT,
                        token,
                        channel,
                        ackId,
                        JSON.writeValueAsString(event),
                        JSON.writeValueAsString(event.get("event"))));
            }
        }
        indexed.addAll(batch);
        if (ackId.isPresent()) {
            batches.put(
                    channel.orElseThrow() + "/" + ackId.getAsLong(),
                    new Batch(channel.orElseThrow(), ackId.getAsLong(), batch));
        }
        ObjectNode answer = success(0, "Success");
        ackId.ifPresent(id -> answer.put("ackId", id));
        return answer;
    }

    /** Answers an ack query under the current policy; an id reported true is consumed. */
    private synchronized ObjectNode acks(String where, String channel, byte[] body) throws Refusal {
        JsonNode ids;
        try {
            ids = JSON.readTree(body).path("acks");
        } catch (IOException e) {
            ids = null;
        }
        if (ids == null || !ids.isArray() || !allIntegers(ids)) {
            violations.add(where + " body is not {\"acks\":[ids]}");
            throw new Refusal(400, 6, "Invalid data format");
        }
        Channel state = channels.computeIfAbsent(channel, c -> new Channel());
        ObjectNode reported = JSON.createObjectNode();
        AckPolicy policy = ackPolicy;
        for (JsonNode node : ids) {
            long id = node.asLong();
            if (id < 0 || id >= state.next) {
                violations.add(where + " asks for ack id " + id + ", never given on channel " + channel);
            }
            Integer queries = state.pending.get(id);
            boolean done = false;
            if (queries != null) {
                int now = queries + 1;
                done = switch (policy) {
                    case AckPolicy.AfterQueries after -> now >= after.queries();
                    case AckPolicy.Never never -> false;
                };
                if (done) {
                    state.pending.remove(id);
                    Optional.ofNullable(batches.remove(channel + "/" + id)).ifPresent(acknowledged::add);
                } else {
                    state.pending.put(id, now);
                }
            }
            reported.put(Long.toString(id), done);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("acks", reported);
        return answer;
    }

    private static boolean allIntegers(JsonNode ids) {
        for (JsonNode id : ids) {
            if (!id.canConvertToLong() || !id.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode success(int code, String text) {
        return JSON.createObjectNode().put("text", text).put("code", code);
    }

    /** The token of an {@code Authorization: Splunk <token>} header. */
    private static Optional<String> token(String authorization) {
        if (authorization == null || !authorization.startsWith("Splunk ")) {
            return Optional.empty();
        }
        String token = authorization.substring("Splunk ".length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int at = pair.indexOf('=');
                String name = at < 0 ? pair : pair.substring(0, at);
                String value = at < 0 ? "" : pair.substring(at + 1);
                parameters.putIfAbsent(URLDecoder.decode(name, UTF_8), URLDecoder.decode(value, UTF_8));
            }
        }
        return parameters;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
