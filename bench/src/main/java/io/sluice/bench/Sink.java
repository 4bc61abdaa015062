package io.sluice.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * A trivial endpoint for measuring the generator itself: it reads each request (head and body) and
 * answers HTTP 200 with a fixed, minimal body that reads as a fully accepted PutRecord or
 * PutRecordBatch. It verifies nothing. One thread per connection; keep-alive.
 */
final class Sink implements Closeable {
    static final String BODY =
            "{\"FailedPutCount\":0,\"Encrypted\":false,\"RequestResponses\":[],\"RecordId\":\"sink\"}";
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY)
            .getBytes(ISO_8859_1);

    private final ServerSocketChannel server;

    private Sink(ServerSocketChannel server) {
        this.server = server;
    }

    static Sink start(InetSocketAddress address) throws IOException {
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the sink listens on loopback addresses only: " + address);
        }
        ServerSocketChannel server = ServerSocketChannel.open().bind(address);
        Sink sink = new Sink(server);
        Thread.ofPlatform().name("sink-accept").daemon(true).start(sink::accept);
        return sink;
    }

    int port() {
        return server.socket().getLocalPort();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                Thread.ofPlatform().name("sink-connection").daemon(true).start(() -> serve(connection));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                System.err.println("sink: accept failed: " + e.getMessage());
            }
        }
    }

    private static void serve(SocketChannel connection) {
        try (connection) {
            connection.setOption(StandardSocketOptions.TCP_NODELAY, true);
            MessageReader reader = new MessageReader(connection.socket().getInputStream(), 64 * 1024);
            OutputStream out = connection.socket().getOutputStream();
            while (true) {
                Optional<HttpHead> request = reader.readRequest();
                if (request.isEmpty()) {
                    return;
                }
                out.write(RESPONSE);
                if (request.get().close()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // A client that goes away mid-request ends its connection; nothing else to do.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
