package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** Static AWS credentials for an S3 endpoint; {@link #toString()} never shows the secret. */
public record S3Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
    public S3Credentials {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        requireNonNull(sessionToken, "sessionToken is null");
        if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("access key id and secret access key must not be empty");
        }
    }

    public static S3Credentials of(String accessKeyId, String secretAccessKey) {
        return new S3Credentials(accessKeyId, secretAccessKey, Optional.empty());
    }

    @Override
    public String toString() {
        return "S3Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****"
                + (sessionToken.isPresent() ? ", sessionToken=****" : "") + "]";
    }
}
