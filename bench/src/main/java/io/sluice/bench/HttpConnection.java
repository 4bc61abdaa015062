package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * One HTTP/1.1 keep-alive connection on a plain socket: a request is written with one gathering
 * write (head and pre-built body, no copy of the body on the heap), then its response read whole.
 * Connecting waits at most {@code timeout}; reads have no timeout of their own (a timed read costs an
 * extra poll per read), so a caller that must bound an exchange closes the connection from another
 * thread, which ends the blocked exchange. Not thread-safe otherwise.
 */
final class HttpConnection implements Closeable {
    private static final int INITIAL_BUFFER = 16 * 1024;

    private final SocketChannel channel;
    private final MessageReader reader;

    private HttpConnection(SocketChannel channel, MessageReader reader) {
        this.channel = channel;
        this.reader = reader;
    }

    static HttpConnection open(Endpoint endpoint, Duration timeout) throws IOException {
        requireNonNull(endpoint, "endpoint is null");
        int millis = Math.toIntExact(Math.max(1, timeout.toMillis()));
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(endpoint.address(), millis);
            return new HttpConnection(
                    channel, new MessageReader(channel.socket().getInputStream(), INITIAL_BUFFER));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Sends one request made of {@code parts} (their positions are consumed) and reads its response,
     * valid until the next exchange. Close the connection when the response says so.
     */
    HttpResponse exchange(ByteBuffer... parts) throws IOException {
        long remaining = 0;
        for (ByteBuffer part : parts) {
            remaining += part.remaining();
        }
        while (remaining > 0) {
            remaining -= channel.write(parts);
        }
        return reader.readResponse();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
