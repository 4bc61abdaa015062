package io.sluice.lambda.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.lambda.FunctionCall;
import io.sluice.lambda.Invocation;
import io.sluice.lambda.Invocation.FunctionFailed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Lambda Runtime API, version 2018-06-01 (delivery spec §6.1.13), as runtime processes see it. Each
 * process has a port of its own, so the connector a request came in on says which process sent it; what
 * the requests mean is {@link LocalFunction}'s. Bodies are read up to {@link FunctionCall#MAX_PAYLOAD_BYTES}
 * plus one byte, never more.
 */
final class RuntimeApiHandler extends Handler.Abstract {
    static final String RESPONSE_TOO_LARGE_TYPE = "Function.ResponseSizeTooLarge";
    static final String RESPONSE_TOO_LARGE_MESSAGE = "Response payload size exceeded maximum allowed payload size ("
            + FunctionCall.MAX_PAYLOAD_BYTES + " bytes).";

    private static final String NEXT = "/2018-06-01/runtime/invocation/next";
    private static final String INIT_ERROR = "/2018-06-01/runtime/init/error";
    private static final Pattern INVOCATION_RESULT =
            Pattern.compile("/2018-06-01/runtime/invocation/([^/]*)/(response|error)");
    private static final long MAX_DISCARDED_BYTES = 64L * 1024 * 1024;
    private static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalFunction function;

    RuntimeApiHandler(LocalFunction function) {
        this.function = requireNonNull(function, "function is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        int process = function.processOf(request.getConnectionMetaData().getConnector());
        String path = Request.getPathInContext(request);
        boolean post = HttpMethod.POST.is(request.getMethod());
        if (path.equals(NEXT) && HttpMethod.GET.is(request.getMethod())) {
            // Long poll: answered when an invocation is handed to this process, however long that takes.
            function.next(process, new Poll(response, callback));
            return true;
        }
        if (path.equals(INIT_ERROR) && post) {
            Optional<byte[]> body = readBounded(request);
            function.initFailed(process, functionError(request, body));
            writeJson(response, callback, HttpStatus.ACCEPTED_202, status("OK"));
            return true;
        }
        Matcher result = INVOCATION_RESULT.matcher(path);
        if (result.matches() && post) {
            String requestId = result.group(1);
            Optional<byte[]> body = readBounded(request);
            boolean isResponse = result.group(2).equals("response");
            Invocation outcome = body.isEmpty()
                    ? new FunctionFailed(RESPONSE_TOO_LARGE_TYPE, RESPONSE_TOO_LARGE_MESSAGE)
                    : isResponse ? new Invocation.Answered(body.get()) : functionError(request, body);
            if (!function.finish(process, requestId, outcome)) {
                writeJson(
                        response,
                        callback,
                        HttpStatus.BAD_REQUEST_400,
                        error("InvalidRequestID", "Invalid request ID"));
            } else if (body.isEmpty()) {
                writeJson(response, callback, 413, error("RequestEntityTooLarge", RESPONSE_TOO_LARGE_MESSAGE));
            } else {
                writeJson(response, callback, HttpStatus.ACCEPTED_202, status("OK"));
            }
            return true;
        }
        writeJson(
                response,
                callback,
                HttpStatus.NOT_FOUND_404,
                error("UnknownRequest", "No such Runtime API request: " + request.getMethod() + " " + path));
        return true;
    }

    /**
     * The body, or empty when it is over {@link FunctionCall#MAX_PAYLOAD_BYTES}. The rest of a body over
     * the limit is read and dropped (up to {@link #MAX_DISCARDED_BYTES}), so that the runtime, still
     * sending, gets the 413 rather than a connection reset.
     */
    private static Optional<byte[]> readBounded(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = read(in, request.getLength());
            if (body.length <= FunctionCall.MAX_PAYLOAD_BYTES) {
                return Optional.of(body);
            }
            long discarded = 0;
            long skipped;
            while (discarded < MAX_DISCARDED_BYTES && (skipped = in.skip(MAX_DISCARDED_BYTES - discarded)) > 0) {
                discarded += skipped;
            }
            return Optional.empty();
        }
    }

    /**
     * Up to {@link FunctionCall#MAX_PAYLOAD_BYTES} plus one byte of {@code in}: straight into an array of
     * the declared length when there is one within the limit (answers are megabytes: reading them in
     * chunks and joining these took a twentieth of the server's CPU during a Lambda drain).
     */
    private static byte[] read(InputStream in, long declaredLength) throws IOException {
        if (declaredLength < 0 || declaredLength > FunctionCall.MAX_PAYLOAD_BYTES) {
            return in.readNBytes(FunctionCall.MAX_PAYLOAD_BYTES + 1);
        }
        byte[] body = new byte[(int) declaredLength];
        int read = in.readNBytes(body, 0, body.length);
        return read == body.length ? body : Arrays.copyOf(body, read);
    }

    /**
     * A runtime's error report ({@code /error}, {@code /init/error}): its type is the body's
     * {@code errorType} (the function's own, e.g. an exception class), else the
     * {@code Lambda-Runtime-Function-Error-Type} header; its message the body's {@code errorMessage}.
     */
    private static FunctionFailed functionError(Request request, Optional<byte[]> body) {
        if (body.isEmpty()) {
            return new FunctionFailed(RESPONSE_TOO_LARGE_TYPE, "Error report over the maximum payload size");
        }
        JsonNode report = parse(body.get());
        String header = request.getHeaders().get(ERROR_TYPE_HEADER);
        String type = report.path("errorType").asText("");
        if (type.isEmpty()) {
            type = header == null ? "" : header;
        }
        return new FunctionFailed(type, report.path("errorMessage").asText(""));
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            return JSON.missingNode(); // not JSON: the header alone says what failed
        }
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("errorMessage", message).put("errorType", type);
    }

    private static ObjectNode status(String status) {
        return JSON.createObjectNode().put("status", status);
    }

    private static void writeJson(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** A parked {@code GET …/invocation/next}: its answer is an invocation, whenever there is one. */
    record Poll(Response response, Callback callback) {
        Poll {
            requireNonNull(response, "response is null");
            requireNonNull(callback, "callback is null");
        }

        /**
         * Answers with the invocation. {@code Content-Type} is always sent: AWS's Java runtime interface
         * client 2.10.1 crashes (SIGSEGV in its native layer) on a {@code /next} answer without it.
         */
        void deliver(String requestId, long deadlineEpochMs, String functionArn, String traceId, byte[] event) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put("Lambda-Runtime-Aws-Request-Id", requestId);
            response.getHeaders().put("Lambda-Runtime-Deadline-Ms", Long.toString(deadlineEpochMs));
            response.getHeaders().put("Lambda-Runtime-Invoked-Function-Arn", functionArn);
            response.getHeaders().put("Lambda-Runtime-Trace-Id", traceId);
            response.write(true, ByteBuffer.wrap(event), callback);
        }

        /**
         * Gives the poll up with a 500 (its process is gone or being stopped, or polled again): answered,
         * not failed, since Jetty logs a failed request as a server error and these are not.
         */
        void abandon(String why) {
            writeJson(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, error("ServiceStopped", why));
        }
    }
}
