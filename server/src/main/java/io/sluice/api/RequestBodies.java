package io.sluice.api;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import io.sluice.common.ErrorCode;
import io.sluice.common.FirehoseException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Request;

/**
 * Reads request bodies, bounded by the {@code max-request-body} setting, into arrays that are reused, and
 * hashes each chunk for SigV4 as it arrives (one pass over the bytes while they are still in the cache).
 *
 * <p>Why reuse: a typical PutRecordBatch body (500 records of 1 KiB, about 700 KB of JSON) is a humongous
 * object for G1 on Sluice's default heap (over half a 1 MiB region): allocating one per request started a
 * collection every few requests. A body of up to {@link #POOLED_CAPACITY} bytes is read into one of at most
 * {@link #POOLED_ARRAYS} arrays of that size, allocated once and given back by {@link #release}; larger
 * bodies, bodies under {@link #POOLED_FROM} bytes (cheap to allocate, and a PutRecord must not hold a
 * MiB) and bodies while every pooled array is in use get an array of their own. So the pool holds at
 * most {@code POOLED_ARRAYS × POOLED_CAPACITY} bytes (32 MiB), and only after that many large bodies
 * were read at once.
 */
public final class RequestBodies {
    /** Just under 1 MiB, so that an array and its header fill one region of the default heap, not two. */
    static final int POOLED_CAPACITY = 1024 * 1024 - 64;

    static final int POOLED_ARRAYS = 32;

    static final int POOLED_FROM = 64 * 1024;
    private static final HexFormat HEX = HexFormat.of();

    private final long limit;
    private final ArrayBlockingQueue<byte[]> free = new ArrayBlockingQueue<>(POOLED_ARRAYS);
    private final AtomicInteger pooled = new AtomicInteger();

    public RequestBodies(DataSize maxRequestBody) {
        this.limit = requireNonNull(maxRequestBody, "maxRequestBody is null").bytes();
        if (limit >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxRequestBody must be under 2 GiB: " + maxRequestBody);
        }
    }

    /** A body read whole, with the lower-case hex SHA-256 of its bytes. */
    public record Received(RequestBody body, String sha256Hex) {
        public Received {
            requireNonNull(body, "body is null");
            requireNonNull(sha256Hex, "sha256Hex is null");
        }
    }

    /**
     * Reads the whole body of {@code request}.
     *
     * @throws FirehoseException {@code RequestEntityTooLarge} beyond {@code max-request-body}, declared or sent
     * @throws IOException the connection failed before the body ended
     */
    public Received read(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > limit) {
            throw tooLarge(declared);
        }
        MessageDigest sha256 = sha256();
        byte[] array = array(declared);
        int length = 0;
        boolean done = false;
        try (InputStream in = Request.asInputStream(request)) {
            while (true) {
                if (length == array.length) {
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    if (length >= limit) {
                        throw tooLarge(length + 1L);
                    }
                    array = grown(array);
                    array[length++] = (byte) next;
                    sha256.update((byte) next);
                    continue;
                }
                int read = in.read(array, length, array.length - length);
                if (read < 0) {
                    break;
                }
                sha256.update(array, length, read);
                length += read;
            }
            if (length > limit) {
                throw tooLarge(length);
            }
            done = true;
            return new Received(new RequestBody(array, length), HEX.formatHex(sha256.digest()));
        } finally {
            if (!done) {
                release(array);
            }
        }
    }

    /** Gives the body's array back for another request; the body must not be used afterwards. */
    public void release(RequestBody body) {
        release(body.bytes());
    }

    private void release(byte[] array) {
        if (array.length == POOLED_CAPACITY) {
            free.offer(array);
        }
    }

    /** An array for a body of {@code declared} bytes, or of unknown length when negative. */
    private byte[] array(long declared) {
        if (declared >= 0 && (declared < POOLED_FROM || declared > POOLED_CAPACITY)) {
            return new byte[(int) declared];
        }
        byte[] array = free.poll();
        if (array != null) {
            return array;
        }
        if (pooled.getAndUpdate(n -> Math.min(n + 1, POOLED_ARRAYS)) < POOLED_ARRAYS) {
            return new byte[POOLED_CAPACITY];
        }
        return new byte[declared >= 0 ? (int) declared : POOLED_FROM];
    }

    /** A larger array with the same bytes: only for a body sent without a length, or longer than it said. */
    private byte[] grown(byte[] array) {
        int size = (int) Math.min(limit + 1, Math.max(POOLED_FROM, 2L * array.length));
        byte[] larger = Arrays.copyOf(array, size);
        release(array);
        return larger;
    }

    private FirehoseException tooLarge(long size) {
        return FirehoseException.of(
                ErrorCode.REQUEST_ENTITY_TOO_LARGE,
                "Request body of %d bytes exceeds the limit of %d bytes.",
                size,
                limit);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
