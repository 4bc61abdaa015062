package io.sluice.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import io.sluice.api.audit.AuditEvent;
import io.sluice.api.audit.AuditTrail;
import io.sluice.api.auth.Authenticated;
import io.sluice.api.auth.Permissions;
import io.sluice.api.auth.SigV4Verifier;
import io.sluice.catalog.Scope;
import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
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
    private final Authorization authorization;
    private final Operations operations;
    private final AuditTrail audit;
    private final DataSize maxRequestBody;

    public FirehoseHandler(
            SigV4Verifier verifier,
            Permissions permissions,
            Operations operations,
            AuditTrail audit,
            JsonFactory json,
            DataSize maxRequestBody) {
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.authorization = new Authorization(permissions, json);
        this.operations = requireNonNull(operations, "operations is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.maxRequestBody = requireNonNull(maxRequestBody, "maxRequestBody is null");
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
            byte[] body;
            try {
                body = readBody(request);
            } catch (IOException e) {
                clientGone(request, requestId, e, callback);
                return true;
            }
            Authenticated caller = verifier.verify(SignedRequests.received(request, body));
            Operation operation = Operation.fromTarget(request.getHeaders().get("X-Amz-Target"))
                    .orElseThrow(() -> new FirehoseException(ErrorCode.UNKNOWN_OPERATION, ""));
            byte[] output = authorizedRun(request, requestId, caller, operation, body);
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
     * Checks the caller's permissions, runs the operation and audits it: every control-plane call, and
     * data-plane calls that were denied.
     */
    private byte[] authorizedRun(
            Request request, String requestId, Authenticated caller, Operation operation, byte[] body)
            throws IOException {
        Authorization.Decision decision = authorization.decide(caller, operation, body);
        Optional<String> failure = Optional.of(ErrorCode.INTERNAL_FAILURE.awsType());
        try {
            if (decision.denial().isPresent()) {
                throw decision.denial().get();
            }
            byte[] output = operations.run(
                    operation, new Scope(caller.accountId(), caller.region()), body, authorization.visible(caller));
            failure = Optional.empty();
            return output;
        } catch (FirehoseException e) {
            failure = Optional.of(e.code().awsType());
            throw e;
        } finally {
            if (!Operations.isDataPlane(operation) || decision.denial().isPresent()) {
                audit.record(new AuditEvent(
                        requestId,
                        caller.accessKeyId(),
                        authorization.principalArn(caller),
                        caller.accountId(),
                        caller.region(),
                        Request.getRemoteAddr(request),
                        Authorization.action(operation),
                        decision.stream(),
                        failure));
            }
        }
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

    private byte[] readBody(Request request) throws IOException {
        long limit = maxRequestBody.bytes();
        long declared = request.getLength();
        if (declared > limit) {
            throw tooLarge(declared, limit);
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes(Math.toIntExact(limit + 1));
            if (body.length > limit) {
                throw tooLarge(body.length, limit);
            }
            return body;
        }
    }

    private static FirehoseException tooLarge(long size, long limit) {
        return FirehoseException.of(
                ErrorCode.REQUEST_ENTITY_TOO_LARGE,
                "Request body of %d bytes exceeds the limit of %d bytes.",
                size,
                limit);
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
