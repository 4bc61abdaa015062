package io.sluice.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.aws.AccessKeys;
import io.sluice.lambda.FunctionsConfig;
import io.sluice.lambda.invoke.InvokeEndpointConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A Lambda Invoke API server for tests, written to the published API (delivery spec §6.1.12): on a
 * free loopback port it serves {@code POST /2015-03-31/functions/{FunctionName}/invocations} and runs
 * the Java function registered for the named function, answering as Lambda does.
 *
 * <ul>
 *   <li>{@code FunctionName} (URL-decoded) may be a name, a full ARN or a partial ARN
 *       ({@code ACCOUNT:function:NAME}), each with an optional {@code :qualifier}; a function registered
 *       as {@code name:qualifier} serves that qualifier only, one registered as {@code name} every
 *       qualifier. A {@code Qualifier} parameter contradicting the name's → 400, as Lambda answers.
 *   <li>The request must be SigV4-signed for service {@code lambda}: an {@code Authorization} header
 *       {@code AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/lambda/aws4_request, ...} (its format and
 *       scope are checked, not its signature) → else 403 {@code IncompleteSignatureException}.
 *   <li>{@code X-Amz-Invocation-Type} must be absent or {@code RequestResponse} → else 400.
 *   <li>A body over {@link #MAX_PAYLOAD_BYTES} → 413 {@code RequestTooLargeException}; one that is not
 *       JSON → 400 {@code InvalidRequestContentException}.
 *   <li>An unknown function → 404 {@code ResourceNotFoundException}
 *       {@code {"Message":"Function not found: arn:aws:lambda:REGION:ACCOUNT:function:NAME[:Q]","Type":"User"}}.
 * </ul>
 *
 * Error responses carry {@code x-amzn-ErrorType} and a JSON body with {@code Type} and the message, as
 * Lambda's do. Every request that reaches a function or is refused for its function is recorded.
 */
public final class LambdaInvokeServer implements AutoCloseable {
    /** Lambda's limit on a synchronous invocation's request payload. */
    public static final int MAX_PAYLOAD_BYTES = 6_291_556;

    public static final String ACCOUNT = "123456789012";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH_PREFIX = "/2015-03-31/functions/";
    private static final String PATH_SUFFIX = "/invocations";
    private static final Pattern AUTHORIZATION =
            Pattern.compile("AWS4-HMAC-SHA256 Credential=[^/\\s]+/\\d{8}/([a-z0-9-]+)/lambda/aws4_request,"
                    + " ?SignedHeaders=[^,\\s]+, ?Signature=[0-9a-f]{64}");

    /** What a function answers. */
    public sealed interface Reply {
        /** HTTP 200, {@code body} as the function's result. */
        record Ok(byte[] body) implements Reply {
            public Ok {
                requireNonNull(body, "body is null");
            }

            public static Ok json(JsonNode result) {
                try {
                    return new Ok(JSON.writeValueAsBytes(result));
                } catch (IOException e) {
                    throw new IllegalArgumentException(e);
                }
            }
        }

        /** HTTP 200, {@code X-Amz-Function-Error: Unhandled}, Lambda's error object as body. */
        record FunctionError(String errorType, String errorMessage) implements Reply {
            public FunctionError {
                requireNonNull(errorType, "errorType is null");
                requireNonNull(errorMessage, "errorMessage is null");
            }
        }

        /** HTTP 429 {@code TooManyRequestsException}, as Lambda throttles a function at its concurrency. */
        record Throttled() implements Reply {}

        /** Any service error: {@code status} with {@code x-amzn-ErrorType: errorType} and Lambda's body. */
        record Status(int status, String errorType, String message) implements Reply {
            public Status {
                requireNonNull(errorType, "errorType is null");
                requireNonNull(message, "message is null");
            }
        }

        /** {@code then}, after {@code delay}. */
        record Delay(Duration delay, Reply then) implements Reply {
            public Delay {
                requireNonNull(delay, "delay is null");
                requireNonNull(then, "then is null");
            }
        }
    }

    /**
     * One request as received: {@code functionName} as sent (decoded), the {@code Qualifier} parameter if
     * any, the headers (names in lower case), the body, and the region of the signature's scope.
     */
    public record Invocation(
            String functionName,
            Optional<String> qualifierParameter,
            Map<String, String> headers,
            byte[] body,
            String signingRegion) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final Map<String, Function<JsonNode, Reply>> functions = new ConcurrentHashMap<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    /** Opened by {@link #close()}: delayed replies stop waiting, so stopping never waits for them. */
    private final CountDownLatch closing = new CountDownLatch(1);

    private LambdaInvokeServer() {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Invocations());
    }

    /** A server on a free loopback port, no function registered. */
    public static LambdaInvokeServer start() {
        LambdaInvokeServer lambda = new LambdaInvokeServer();
        try {
            lambda.server.start();
        } catch (Exception e) {
            lambda.close();
            throw new IllegalStateException("cannot start the Lambda Invoke API server", e);
        }
        return lambda;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /** Sluice's functions all run here: the default Invoke endpoint, in us-east-1, signed with test keys. */
    public FunctionsConfig asDefaultEndpoint() {
        return new FunctionsConfig(
                InvokeEndpointConfig.of(endpoint(), "us-east-1", AccessKeys.of("test", "test")), Map.of());
    }

    /** The ARN of function {@code name} (with {@code :qualifier} if given) in {@code region}. */
    public static String arn(String region, String name) {
        return "arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + name;
    }

    /**
     * Registers {@code function} as {@code name} (every qualifier) or {@code name:qualifier}; it gets
     * the request's JSON and may throw, which answers as a function error of the exception's class.
     */
    public LambdaInvokeServer function(String name, Function<JsonNode, Reply> function) {
        functions.put(requireNonNull(name, "name is null"), requireNonNull(function, "function is null"));
        return this;
    }

    /** The requests received so far, in arrival order. */
    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    @Override
    public void close() {
        closing.countDown();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the Lambda Invoke API server", e);
        }
    }

    /** A parsed {@code FunctionName}: the function's name, its qualifier if any, and its region/account. */
    private record FunctionName(String name, Optional<String> qualifier, String account) {
        static FunctionName parse(String functionName) {
            String[] parts = functionName.split(":", -1);
            if (parts.length >= 7 && parts[0].equals("arn")) {
                return new FunctionName(parts[6], part(parts, 7), parts[4]);
            }
            if (parts.length >= 3 && parts[1].equals("function")) {
                return new FunctionName(parts[2], part(parts, 3), parts[0]);
            }
            return new FunctionName(parts[0], part(parts, 1), ACCOUNT);
        }

        private static Optional<String> part(String[] parts, int index) {
            return index < parts.length ? Optional.of(parts[index]) : Optional.empty();
        }

        String arn(String region) {
            return LambdaInvokeServer.arn(region, name)
                    + qualifier.map(q -> ":" + q).orElse("");
        }
    }

    private final class Invocations extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            String path = request.getHttpURI().getPath();
            if (!request.getMethod().equals("POST") || !path.startsWith(PATH_PREFIX) || !path.endsWith(PATH_SUFFIX)) {
                send(response, callback, new Reply.Status(404, "UnknownOperationException", "Unknown operation"));
                return true;
            }
            Matcher signature = AUTHORIZATION.matcher(
                    Optional.ofNullable(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                            .orElse(""));
            if (!signature.matches()) {
                send(
                        response,
                        callback,
                        new Reply.Status(
                                403,
                                "IncompleteSignatureException",
                                "Authorization header requires a SigV4 signature for service lambda"));
                return true;
            }
            String region = signature.group(1);
            String rawName = path.substring(PATH_PREFIX.length(), path.length() - PATH_SUFFIX.length());
            FunctionName name = FunctionName.parse(URLDecoder.decode(rawName, StandardCharsets.UTF_8));
            Fields query = Request.extractQueryParameters(request);
            Optional<String> qualifierParameter = Optional.ofNullable(query.getValue("Qualifier"));
            byte[] body = readAtMost(request, MAX_PAYLOAD_BYTES + 1);
            invocations.add(new Invocation(
                    URLDecoder.decode(rawName, StandardCharsets.UTF_8),
                    qualifierParameter,
                    headers(request),
                    body,
                    region));
            send(response, callback, reply(request, name, qualifierParameter, body, region));
            return true;
        }

        private Reply reply(
                Request request, FunctionName name, Optional<String> qualifierParameter, byte[] body, String region) {
            String type = request.getHeaders().get("X-Amz-Invocation-Type");
            if (type != null && !type.equals("RequestResponse")) {
                return new Reply.Status(
                        400, "InvalidParameterValueException", "only RequestResponse is served here: " + type);
            }
            if (qualifierParameter.isPresent()
                    && name.qualifier().isPresent()
                    && !qualifierParameter.equals(name.qualifier())) {
                return new Reply.Status(
                        400,
                        "InvalidParameterValueException",
                        "The derived qualifier from the function name does not match the specified qualifier.");
            }
            if (body.length > MAX_PAYLOAD_BYTES) {
                return new Reply.Status(
                        413,
                        "RequestTooLargeException",
                        "Request must be smaller than " + MAX_PAYLOAD_BYTES
                                + " bytes for the InvokeFunction operation");
            }
            FunctionName qualified =
                    new FunctionName(name.name(), name.qualifier().or(() -> qualifierParameter), name.account());
            Function<JsonNode, Reply> function = qualified
                    .qualifier()
                    .map(q -> functions.get(name.name() + ":" + q))
                    .orElse(null);
            if (function == null) {
                function = functions.get(name.name());
            }
            if (function == null || !name.account().equals(ACCOUNT)) {
                return new Reply.Status(
                        404, "ResourceNotFoundException", "Function not found: " + qualified.arn(region));
            }
            JsonNode event;
            try {
                event = JSON.readTree(body);
            } catch (IOException e) {
                return new Reply.Status(
                        400, "InvalidRequestContentException", "Could not parse request body into json");
            }
            try {
                return function.apply(event);
            } catch (RuntimeException e) {
                return new Reply.FunctionError(e.getClass().getName(), String.valueOf(e.getMessage()));
            }
        }
    }

    private static byte[] readAtMost(Request request, int limit) throws IOException {
        try (InputStream in = Request.asInputStream(request)) {
            return in.readNBytes(limit);
        }
    }

    private static Map<String, String> headers(Request request) {
        Map<String, String> headers = new TreeMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.merge(field.getLowerCaseName(), field.getValue(), (a, b) -> a + "," + b);
        }
        return Map.copyOf(headers);
    }

    private void send(Response response, Callback callback, Reply reply) {
        response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        switch (reply) {
            case Reply.Ok ok -> {
                response.getHeaders().put("X-Amz-Executed-Version", "$LATEST");
                write(response, callback, 200, ok.body());
            }
            case Reply.FunctionError error -> {
                response.getHeaders().put("X-Amz-Function-Error", "Unhandled");
                ObjectNode body = JSON.createObjectNode()
                        .put("errorMessage", error.errorMessage())
                        .put("errorType", error.errorType());
                body.putArray("stackTrace");
                write(response, callback, 200, body.toString().getBytes(StandardCharsets.UTF_8));
            }
            case Reply.Throttled throttled -> {
                response.getHeaders().put("x-amzn-ErrorType", "TooManyRequestsException");
                response.getHeaders().put("Retry-After", "1");
                ObjectNode body = JSON.createObjectNode()
                        .put("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded")
                        .put("Type", "User")
                        .put("message", "Rate Exceeded.");
                write(response, callback, 429, body.toString().getBytes(StandardCharsets.UTF_8));
            }
            case Reply.Status status -> {
                response.getHeaders().put("x-amzn-ErrorType", status.errorType());
                ObjectNode body = JSON.createObjectNode()
                        .put("Type", status.status() >= 500 ? "Service" : "User")
                        .put(
                                status.errorType().equals("ResourceNotFoundException") ? "Message" : "message",
                                status.message());
                write(response, callback, status.status(), body.toString().getBytes(StandardCharsets.UTF_8));
            }
            case Reply.Delay delay -> {
                try {
                    if (closing.await(delay.delay().toNanos(), TimeUnit.NANOSECONDS)) {
                        callback.failed(new IllegalStateException("the server is closing"));
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    callback.failed(e);
                    return;
                }
                send(response, callback, delay.then());
            }
        }
    }

    private static void write(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
