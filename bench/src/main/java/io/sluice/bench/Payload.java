package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * One pre-built request body, reused for many requests: its bytes in a read-only direct buffer
 * (written to sockets without copying), their SHA-256 computed once, and what it carries.
 */
record Payload(ByteBuffer body, String sha256Hex, int records, long dataBytes) {
    Payload {
        requireNonNull(body, "body is null");
        requireNonNull(sha256Hex, "sha256Hex is null");
        if (!body.isReadOnly() || !body.isDirect()) {
            throw new IllegalArgumentException("body must be a read-only direct buffer");
        }
        if (records < 1 || dataBytes < 0) {
            throw new IllegalArgumentException("records must be positive and dataBytes not negative");
        }
    }

    static Payload of(byte[] json, int records, long dataBytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(json.length).put(json).flip();
        return new Payload(direct.asReadOnlyBuffer(), SigV4Signer.sha256Hex(json), records, dataBytes);
    }

    int length() {
        return body.remaining();
    }

    /** A view to write from; each writer needs its own, since writing moves the position. */
    ByteBuffer view() {
        return body.duplicate();
    }
}
