package io.sluice.api.s3;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An S3 error as S3 answers it: the HTTP status, and the body {@code <Error><Code>…</Code>
 * <Message>…</Message>…</Error>} with the resource it concerns ({@code BucketName}, {@code Key}) in
 * {@code details}, in order.
 */
final class S3Error extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> details;

    S3Error(int status, String code, String message, Map<String, String> details) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.status = status;
        this.code = requireNonNull(code, "code is null");
        this.details = requireNonNull(details, "details is null");
    }

    static S3Error noSuchBucket(String bucket) {
        return new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", Map.of("BucketName", bucket));
    }

    static S3Error noSuchKey(String key) {
        return new S3Error(404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", key));
    }

    static S3Error invalidArgument(String message) {
        return new S3Error(400, "InvalidArgument", message, Map.of());
    }

    static S3Error notImplemented(String message) {
        return new S3Error(501, "NotImplemented", message, Map.of());
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> details() {
        return details;
    }
}
