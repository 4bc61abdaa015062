package io.sluice.aws;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Static AWS credentials for an endpoint; {@link #toString()} never shows the secret. */
public record AccessKeys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
    public AccessKeys {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
        requireNonNull(sessionToken, "sessionToken is null");
        if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("access key id and secret access key must not be empty");
        }
    }

    public static AccessKeys of(String accessKeyId, String secretAccessKey) {
        return new AccessKeys(accessKeyId, secretAccessKey, Optional.empty());
    }

    /**
     * A provider of {@code keys}, or, when absent, a fresh SDK default chain (environment, profile,
     * container or instance role); the caller closes it.
     */
    public static AwsCredentialsProvider provider(Optional<AccessKeys> keys) {
        return keys.<AwsCredentialsProvider>map(AccessKeys::provider)
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    private AwsCredentialsProvider provider() {
        return StaticCredentialsProvider.create(
                sessionToken.isPresent()
                        ? AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken.get())
                        : AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    @Override
    public String toString() {
        return "AccessKeys[accessKeyId=" + accessKeyId + ", secretAccessKey=****"
                + (sessionToken.isPresent() ? ", sessionToken=****" : "") + "]";
    }
}
