package io.sluice.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Optional;

/**
 * Calls Firehose operations one at a time over one keep-alive connection, opened when first needed and
 * again after the server closes it or a call fails. Not thread-safe.
 */
final class ApiClient implements Closeable {
    private final Target target;
    private final Clock clock;
    private final SigV4Signer signer;
    private HttpConnection connection;

    ApiClient(Target target, Clock clock) {
        this.target = requireNonNull(target, "target is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.signer = new SigV4Signer(target.credentials(), target.region(), "firehose");
    }

    /** Sends {@code json} as {@code operation} (e.g. {@code PutRecord}) and returns the answer, whole. */
    Answer call(String operation, String json) throws IOException {
        byte[] body = json.getBytes(UTF_8);
        byte[] head = RequestHead.of(
                signer,
                target.endpoint(),
                "Firehose_20150804." + operation,
                clock.instant(),
                SigV4Signer.sha256Hex(body),
                body.length);
        if (connection == null) {
            connection = HttpConnection.open(target.endpoint(), target.timeout());
        }
        try {
            HttpResponse response = connection.exchange(ByteBuffer.wrap(head), ByteBuffer.wrap(body));
            String text = response.bodyText();
            if (response.close()) {
                close();
            }
            return new Answer(response.status(), text, field(text, "__type").map(ApiClient::bareType));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The string member {@code name} of a JSON object, if present. */
    static Optional<String> field(String json, String name) {
        byte[] bytes = json.getBytes(UTF_8);
        return JsonFields.string(bytes, 0, bytes.length, name);
    }

    private static String bareType(String type) {
        return type.substring(type.lastIndexOf('#') + 1);
    }

    @Override
    public void close() throws IOException {
        if (connection != null) {
            HttpConnection closing = connection;
            connection = null;
            closing.close();
        }
    }

    /** An HTTP status, the body as text, and the error type ({@code __type} without its prefix). */
    record Answer(int status, String body, Optional<String> type) {}
}
