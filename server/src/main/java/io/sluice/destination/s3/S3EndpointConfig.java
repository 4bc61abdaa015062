package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.HttpUrl;
import java.net.URI;
import java.util.Optional;

/**
 * How to reach one S3-compatible service: its endpoint (absent: AWS's own for the region), region,
 * whether buckets go in the path ({@code http://host/bucket/key}, what most self-hosted servers need)
 * rather than the host name, and static credentials (absent: the SDK's default chain — environment,
 * profile, container or instance role).
 */
public record S3EndpointConfig(
        Optional<URI> endpoint, String region, boolean pathStyle, Optional<AccessKeys> credentials) {
    public S3EndpointConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(credentials, "credentials is null");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region is empty");
        }
        endpoint.ifPresent(uri -> HttpUrl.require(uri, "endpoint"));
    }

    /** A self-hosted service at {@code endpoint}, path-style, with static credentials. */
    public static S3EndpointConfig of(URI endpoint, String region, AccessKeys credentials) {
        return new S3EndpointConfig(Optional.of(endpoint), region, true, Optional.of(credentials));
    }

    /** The same service reached with {@code other} credentials. */
    public S3EndpointConfig withCredentials(AccessKeys other) {
        return new S3EndpointConfig(endpoint, region, pathStyle, Optional.of(other));
    }
}
