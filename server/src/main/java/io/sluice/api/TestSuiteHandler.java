package io.sluice.api;

import static java.util.Objects.requireNonNull;

import io.sluice.api.auth.SignedService;
import io.sluice.api.s3.LocalS3Api;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What test suites use besides the Firehose API, in front of it on the same port, each only when its
 * setting is on: requests whose SigV4 credential scope names {@code s3} go to the local store's S3 API
 * ({@code local-s3-api}); {@code POST /_sluice/reset} deletes every stream and its data
 * ({@code reset-endpoint}), for a client on a loopback address only (others get 403). Everything
 * else goes to the Firehose handler.
 */
public final class TestSuiteHandler extends Handler.Wrapper {
    public static final String RESET_PATH = "/_sluice/reset";

    private static final Logger LOG = LoggerFactory.getLogger(TestSuiteHandler.class);
    private static final String JSON = "application/json";

    private final Optional<LocalS3Api> s3;
    private final Optional<Reset> reset;

    public TestSuiteHandler(Handler firehose, Optional<LocalS3Api> s3, Optional<Reset> reset) {
        super(requireNonNull(firehose, "firehose is null"));
        this.s3 = requireNonNull(s3, "s3 is null");
        this.reset = requireNonNull(reset, "reset is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (reset.isPresent()
                && HttpMethod.POST.is(request.getMethod())
                && request.getHttpURI().getPath().equals(RESET_PATH)) {
            reset(reset.get(), request, response, callback);
            return true;
        }
        if (s3.isPresent()
                && SignedService.ofAuthorization(
                                Optional.ofNullable(request.getHeaders().get(HttpHeader.AUTHORIZATION)))
                        .equals(Optional.of(SignedService.S3))) {
            s3.get().handle(request, response, callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private static void reset(Reset reset, Request request, Response response, Callback callback) {
        SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
        if (!(peer instanceof InetSocketAddress address)
                || address.getAddress() == null
                || !address.getAddress().isLoopbackAddress()) {
            write(
                    response,
                    callback,
                    403,
                    ErrorResponses.body(new FirehoseException(
                            ErrorCode.ACCESS_DENIED, "The reset endpoint serves clients on a loopback address only.")));
            return;
        }
        try {
            int deleted = reset.deleteEverything();
            LOG.info("Reset: deleted {} delivery streams and every delivered object of the local store", deleted);
            write(response, callback, 200, ("{\"deletedStreams\":" + deleted + "}").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.error("The reset failed", e);
            write(
                    response,
                    callback,
                    500,
                    ErrorResponses.body(new FirehoseException(ErrorCode.INTERNAL_FAILURE, "The reset failed: " + e)));
        }
    }

    private static void write(Response response, Callback callback, int status, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
