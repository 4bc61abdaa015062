package io.sluice.api;

import static java.util.Objects.requireNonNull;

import io.sluice.metrics.Metrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The management endpoints: {@code GET /health}, 200 {@code {"status":"ok"}} once the server is ready
 * (503 {@code {"status":"starting"}} before), open to anyone and saying nothing about streams; and,
 * where this handler {@linkplain #withMetrics serves them}, {@code GET /metrics} in Prometheus text
 * format, which, with a bearer token configured, answers 401 unless the request carries
 * {@code Authorization: Bearer <token>}. Anything else is left to the next handler.
 */
public final class ManagementHandler extends Handler.Abstract {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final BooleanSupplier ready;
    private final Optional<Metrics> metrics;
    private final Optional<byte[]> bearerToken;

    private ManagementHandler(BooleanSupplier ready, Optional<Metrics> metrics, Optional<String> bearerToken) {
        this.ready = requireNonNull(ready, "ready is null");
        this.metrics = metrics;
        this.bearerToken = bearerToken.map(token -> token.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /health} only. */
    public static ManagementHandler healthOnly(BooleanSupplier ready) {
        return new ManagementHandler(ready, Optional.empty(), Optional.empty());
    }

    /** {@code /health} and {@code /metrics}, the latter behind {@code bearerToken} if there is one. */
    public static ManagementHandler withMetrics(BooleanSupplier ready, Metrics metrics, Optional<String> bearerToken) {
        requireNonNull(metrics, "metrics is null");
        requireNonNull(bearerToken, "bearerToken is null");
        return new ManagementHandler(ready, Optional.of(metrics), bearerToken);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod())) {
            return false;
        }
        String path = Request.getPathInContext(request);
        if (path.equals("/health")) {
            boolean up = ready.getAsBoolean();
            write(
                    response,
                    callback,
                    up ? 200 : 503,
                    "application/json",
                    up ? "{\"status\":\"ok\"}" : "{\"status\":\"starting\"}");
            return true;
        }
        if (path.equals("/metrics") && metrics.isPresent()) {
            if (!authorized(request)) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"sluice-metrics\"");
                write(
                        response,
                        callback,
                        401,
                        "text/plain; charset=utf-8",
                        "401 Unauthorized: a bearer token is required\n");
                return true;
            }
            write(response, callback, 200, PROMETHEUS_TEXT, metrics.get().scrape());
            return true;
        }
        return false;
    }

    /** No token configured, or the request's bearer token equals it (compared in constant time). */
    private boolean authorized(Request request) {
        if (bearerToken.isEmpty()) {
            return true;
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, bearerToken.get());
    }

    private static void write(Response response, Callback callback, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
