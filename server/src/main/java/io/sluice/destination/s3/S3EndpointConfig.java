package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach one S3-compatible service: its endpoint (absent: AWS's own for the region), region,
 * whether buckets go in the path ({@code http://host/bucket/key}, what most self-hosted servers need)
 * rather than the host name, and static credentials (absent: the SDK's default chain — environment,
 * profile, container or instance role).
 */
public record S3EndpointConfig(
        Optional<URI> endpoint, String region, boolean pathStyle, Optional<S3Credentials> credentials) {
    public S3EndpointConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(credentials, "credentials is null");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region is empty");
        }
        endpoint.ifPresent(uri -> requireHttpUrl(uri, "endpoint"));
    }

    /** {@code uri}, if it is an {@code http} or {@code https} URL with a host; {@code what} names it otherwise. */
    public static URI requireHttpUrl(URI uri, String what) {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an http or https URL: " + uri);
        }
        return uri;
    }

    /** A self-hosted service at {@code endpoint}, path-style, with static credentials. */
    public static S3EndpointConfig of(URI endpoint, String region, S3Credentials credentials) {
        return new S3EndpointConfig(Optional.of(endpoint), region, true, Optional.of(credentials));
    }

    /** The same service reached with {@code other} credentials. */
    public S3EndpointConfig withCredentials(S3Credentials other) {
        return new S3EndpointConfig(endpoint, region, pathStyle, Optional.of(other));
    }
}
