package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One response. The body is {@code length} bytes of {@code buffer} from {@code offset}; the buffer
 * belongs to the connection and is reused, so a response is valid only until the connection's next
 * exchange.
 */
final class HttpResponse {
    private final int status;
    private final byte[] buffer;
    private final int offset;
    private final int length;
    private final boolean close;
    private final Optional<String> errorType;

    HttpResponse(int status, byte[] buffer, int offset, int length, boolean close, Optional<String> errorType) {
        this.buffer = requireNonNull(buffer, "buffer is null");
        this.errorType = requireNonNull(errorType, "errorType is null");
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("body range outside the buffer");
        }
        this.status = status;
        this.offset = offset;
        this.length = length;
        this.close = close;
    }

    int status() {
        return status;
    }

    /** The shared buffer holding the body; read only {@link #length()} bytes from {@link #offset()}. */
    byte[] buffer() {
        return buffer;
    }

    int offset() {
        return offset;
    }

    int length() {
        return length;
    }

    /** Whether the server ends the connection after this response. */
    boolean close() {
        return close;
    }

    /** The {@code x-amzn-ErrorType} header. */
    Optional<String> errorType() {
        return errorType;
    }

    String bodyText() {
        return new String(buffer, offset, length, StandardCharsets.UTF_8);
    }
}
