package io.sluice.destination.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A fake S3 endpoint on the loopback that answers each request as its script says, errors in S3's
 * error document format, and records what it received.
 */
final class ScriptedS3 implements AutoCloseable {
    /** One request as received: method, path, query, headers by lower-case name. */
    record Received(String method, String path, String query, Map<String, List<String>> headers) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name)).map(values -> String.join(",", values));
        }
    }

    /** A status and an XML body (none when empty). */
    record Answer(int status, String xml) {
        static Answer ok() {
            return new Answer(200, "");
        }

        static Answer error(int status, String code) {
            return new Answer(
                    status,
                    code.isEmpty()
                            ? ""
                            : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                                    + "</Code><Message>scripted " + code
                                    + "</Message><RequestId>1</RequestId></Error>");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<Received, Answer> script = r -> Answer.ok();

    ScriptedS3() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** Answers every request with {@code status} and an error document carrying {@code code}. */
    void fail(int status, String code) {
        script = r -> Answer.error(status, code);
    }

    void script(Function<Received, Answer> script) {
        this.script = script;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        Received request = new Received(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""),
                headers);
        received.add(request);
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        Answer answer = script.apply(request);
        byte[] body = answer.xml().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("ETag", "\"0123456789abcdef0123456789abcdef\"");
        if (body.length > 0) {
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
        }
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
