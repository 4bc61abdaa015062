package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A receiver for Firehose's HTTP endpoint protocol (version 1.0) that notes each delivered record as
 * seen when its request arrives, and answers 200 with {@code {"requestId":…,"timestamp":…}} as a
 * receiver that accepted the records does. Bodies over {@value #MAX_BODY_BYTES} bytes are refused
 * with 413.
 */
final class EndpointReceiver implements Closeable {
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final Pattern DATA = Pattern.compile("\"data\"\\s*:\\s*\"([A-Za-z0-9+/=]*)\"");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Arrivals arrivals;

    private EndpointReceiver(HttpServer server, ExecutorService executor, Arrivals arrivals) {
        this.server = server;
        this.executor = executor;
        this.arrivals = arrivals;
    }

    /** Listens on {@code address} (port 0: a free one) until closed. */
    static EndpointReceiver start(InetSocketAddress address, Arrivals arrivals) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        EndpointReceiver receiver = new EndpointReceiver(server, executor, arrivals);
        server.createContext("/", receiver::handle);
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    Arrivals arrivals() {
        return arrivals;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrivedAt = System.nanoTime();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = gunzip.readNBytes(MAX_BODY_BYTES);
                }
            }
            Matcher data = DATA.matcher(new String(body, UTF_8));
            Base64.Decoder base64 = Base64.getDecoder();
            while (data.find()) {
                byte[] record = base64.decode(data.group(1));
                arrivals.seen(record, 0, record.length, arrivedAt);
            }
            String requestId = exchange.getRequestHeaders().getFirst("X-Amz-Firehose-Request-Id");
            byte[] answer = ("{\"requestId\":\"" + (requestId == null ? "" : requestId) + "\",\"timestamp\":"
                            + System.currentTimeMillis() + "}")
                    .getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
