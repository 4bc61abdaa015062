package io.sluice.api;

import static java.util.Objects.requireNonNull;

import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.SigV4Verifier;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Sluice. {@code POST /} carries the Firehose API (AWS JSON 1.1): the body is read
 * (bounded), the SigV4 signature verified, the operation chosen by {@code X-Amz-Target}, the caller's
 * permissions checked ({@link Authorization}), the JSON parsed and checked against the service model,
 * and the operation run. Every control-plane call that passed the signature check, and every denied put,
 * is written to the audit trail. The management endpoints ({@code /health}, {@code /metrics}) are
 * {@link ManagementHandler}'s. Every response carries {@code x-amzn-RequestId} and {@code Date}.
 */
public final class FirehoseHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(FirehoseHandler.class);
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private final SigV4Verifier verifier;
    private final GuardedOperations operations;
    private final RequestBodies bodies;

    public FirehoseHandler(SigV4Verifier verifier, GuardedOperations operations, DataSize maxRequestBody) {
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.operations = requireNonNull(operations, "operations is null");
        this.bodies = new RequestBodies(maxRequestBody);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = UUID.randomUUID().toString();
        response.getHeaders().put("x-amzn-RequestId", requestId);
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (!HttpMethod.POST.is(method) || !path.equals("/")) {
            fail(response, callback, new FirehoseException(ErrorCode.UNKNOWN_OPERATION, ""), 404);
            return true;
        }
        try {
            RequestBodies.Received received;
            try {
                received = bodies.read(request);
            } catch (IOException e) {
                clientGone(request, requestId, e, callback);
                return true;
            }
            byte[] output;
            try {
                Authenticated caller = verifier.verify(SignedRequests.received(request, received.sha256Hex()));
                Operation operation = Operation.fromTarget(request.getHeaders().get("X-Amz-Target"))
                        .orElseThrow(() -> new FirehoseException(ErrorCode.UNKNOWN_OPERATION, ""));
                output = operations.run(caller, operation, received.body(), requestId, Request.getRemoteAddr(request));
            } finally {
                bodies.release(received.body());
            }
            write(response, callback, 200, CONTENT_TYPE, output);
        } catch (FirehoseException e) {
            fail(response, callback, e, ErrorResponses.status(e.code()));
        } catch (RuntimeException | IOException e) {
            LOG.error("Request {} failed unexpectedly", requestId, e);
            fail(
                    response,
                    callback,
                    new FirehoseException(
                            ErrorCode.INTERNAL_FAILURE, "An internal error occurred; request id " + requestId),
                    500);
        }
        return true;
    }

    /**
     * Reading a body fails only with its connection: the client closed it, sent less than its
     * {@code Content-Length}, or stopped sending. That is the client's doing and nothing was stored
     * (it gets no answer and may retry), so it is one DEBUG line, not an error with a stack trace.
     */
    private static void clientGone(Request request, String requestId, IOException failure, Callback callback) {
        LOG.debug(
                "Request {} from {} ended before its body was read: {}",
                requestId,
                request.getConnectionMetaData().getRemoteSocketAddress(),
                failure.toString());
        callback.failed(failure);
    }

    private static void fail(Response response, Callback callback, FirehoseException error, int status) {
        write(response, callback, status, CONTENT_TYPE, ErrorResponses.body(error));
    }

    private static void write(Response response, Callback callback, int status, String contentType, String body) {
        write(response, callback, status, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void write(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
