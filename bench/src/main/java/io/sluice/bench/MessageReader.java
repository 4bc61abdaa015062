package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads HTTP/1.x messages from one connection into one reused, growing buffer: a head, then a body
 * delimited by {@code Content-Length}, by chunked transfer coding, or (responses only) by the end of
 * the connection. Heads are limited to {@value #MAX_HEAD} bytes. Not thread-safe.
 */
final class MessageReader {
    static final int MAX_HEAD = 64 * 1024;

    private final InputStream in;
    private byte[] buffer;
    private int position;
    private int limit;
    private byte[] dechunked = new byte[0];

    MessageReader(InputStream in, int initialCapacity) {
        this.in = requireNonNull(in, "in is null");
        this.buffer = new byte[Math.max(initialCapacity, 1024)];
    }

    /** The next response, with its whole body. The peer closing before or during it is an error. */
    HttpResponse readResponse() throws IOException {
        HttpHead head = readHead().orElseThrow(() -> new EOFException("connection closed before the response"));
        int status = head.status();
        if (head.chunked()) {
            int length = readChunked();
            return new HttpResponse(status, dechunked, 0, length, head.close(), head.errorType());
        }
        if (head.contentLength() >= 0) {
            int length = Math.toIntExact(head.contentLength());
            fill(length);
            int offset = position;
            position += length;
            return new HttpResponse(status, buffer, offset, length, head.close(), head.errorType());
        }
        while (read() > 0) {
            // A body without length or chunking ends with the connection.
        }
        int offset = position;
        int length = limit - position;
        position = limit;
        return new HttpResponse(status, buffer, offset, length, true, head.errorType());
    }

    /**
     * The head of the next request, its body read and dropped; empty when the peer closed cleanly
     * between requests.
     */
    Optional<HttpHead> readRequest() throws IOException {
        Optional<HttpHead> head = readHead();
        if (head.isPresent()) {
            if (head.get().chunked()) {
                readChunked();
            } else {
                discard(Math.max(0, head.get().contentLength()));
            }
        }
        return head;
    }

    private Optional<HttpHead> readHead() throws IOException {
        int searched = position;
        while (true) {
            for (int i = Math.max(searched, position + 3); i < limit; i++) {
                if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
                    String text = new String(buffer, position, i - 3 - position, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    return Optional.of(HttpHead.parse(text));
                }
            }
            searched = limit;
            if (limit - position >= MAX_HEAD) {
                throw new IOException("message head larger than " + MAX_HEAD + " bytes");
            }
            int before = position;
            if (read() < 0) {
                if (limit == position) {
                    return Optional.empty();
                }
                throw new EOFException("connection closed inside a message head");
            }
            searched -= before - position;
        }
    }

    /** Decodes a chunked body into {@link #dechunked}; returns its length. Trailers are dropped. */
    private int readChunked() throws IOException {
        int length = 0;
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // Trailer fields are not used.
                }
                return length;
            }
            fill(size + 2);
            if (dechunked.length < length + size) {
                dechunked = Arrays.copyOf(dechunked, Math.max(length + size, dechunked.length * 2));
            }
            System.arraycopy(buffer, position, dechunked, length, size);
            length += size;
            position += size + 2;
        }
    }

    private String readLine() throws IOException {
        int searched = position;
        while (true) {
            for (int i = Math.max(searched, position + 1); i < limit; i++) {
                if (buffer[i] == '\n' && buffer[i - 1] == '\r') {
                    String line = new String(buffer, position, i - 1 - position, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    return line;
                }
            }
            searched = limit;
            if (limit - position >= MAX_HEAD) {
                throw new IOException("line longer than " + MAX_HEAD + " bytes");
            }
            int before = position;
            if (read() < 0) {
                throw new EOFException("connection closed inside a chunked body");
            }
            searched -= before - position;
        }
    }

    /** Makes {@code count} bytes available from {@link #position}. */
    private void fill(int count) throws IOException {
        while (limit - position < count) {
            if (buffer.length - position < count) {
                makeRoom(count);
            }
            if (read() < 0) {
                throw new EOFException("connection closed inside a message body");
            }
        }
    }

    private void discard(long count) throws IOException {
        long left = count;
        while (left > 0) {
            if (limit == position && read() < 0) {
                throw new EOFException("connection closed inside a message body");
            }
            int taken = (int) Math.min(left, limit - position);
            position += taken;
            left -= taken;
        }
    }

    /** Reads what is available after {@link #limit}, making room first; -1 at the end of the stream. */
    private int read() throws IOException {
        if (limit == buffer.length) {
            makeRoom(limit - position + 1);
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    /** Moves the unread bytes to the start of the buffer, growing it to hold at least {@code needed}. */
    private void makeRoom(int needed) {
        int unread = limit - position;
        byte[] target = buffer.length >= needed ? buffer : new byte[Math.max(needed, buffer.length * 2)];
        System.arraycopy(buffer, position, target, 0, unread);
        buffer = target;
        position = 0;
        limit = unread;
    }
}
