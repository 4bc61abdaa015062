package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One object to store: where, its body, and the headers AWS sets on it. {@code roleArn} is the
 * stream's {@code RoleARN}, which a store may map to the credentials it writes with.
 */
public record PutObject(
        String bucket,
        String key,
        ObjectContent content,
        String contentType,
        Optional<String> contentEncoding,
        Optional<String> roleArn) {
    public PutObject {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        requireNonNull(content, "content is null");
        requireNonNull(contentType, "contentType is null");
        requireNonNull(contentEncoding, "contentEncoding is null");
        requireNonNull(roleArn, "roleArn is null");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("bucket is empty");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key is empty");
        }
    }

    /** An object with the headers of {@code format}, written with no role. */
    public static PutObject of(String bucket, String key, ObjectContent content, ObjectFormat format) {
        return new PutObject(
                bucket, key, content, ObjectFormat.CONTENT_TYPE, format.contentEncoding(), Optional.empty());
    }

    /** The same object, written on behalf of {@code roleArn}. */
    public PutObject withRole(String roleArn) {
        return new PutObject(bucket, key, content, contentType, contentEncoding, Optional.of(roleArn));
    }
}
