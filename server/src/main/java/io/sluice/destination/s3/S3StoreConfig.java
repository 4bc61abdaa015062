package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What {@link SdkObjectStore} writes to: the endpoint of every bucket unless {@code bucketEndpoints}
 * names another for it, the credentials to use for a stream's {@code RoleARN} (they replace the
 * endpoint's own), and when to upload in parts.
 */
public record S3StoreConfig(
        S3EndpointConfig defaultEndpoint,
        Map<String, S3EndpointConfig> bucketEndpoints,
        Map<String, S3Credentials> roleCredentials,
        MultipartPolicy multipart) {
    public S3StoreConfig {
        requireNonNull(defaultEndpoint, "defaultEndpoint is null");
        bucketEndpoints = Map.copyOf(bucketEndpoints);
        roleCredentials = Map.copyOf(roleCredentials);
        requireNonNull(multipart, "multipart is null");
    }

    /** Every bucket on {@code endpoint}, default multipart policy, no role mapping. */
    public static S3StoreConfig of(S3EndpointConfig endpoint) {
        return new S3StoreConfig(endpoint, Map.of(), Map.of(), MultipartPolicy.DEFAULT);
    }

    /** The endpoint and credentials for one put into {@code bucket} on behalf of {@code roleArn}. */
    public S3EndpointConfig resolve(String bucket, Optional<String> roleArn) {
        S3EndpointConfig endpoint = bucketEndpoints.getOrDefault(bucket, defaultEndpoint);
        return roleArn.map(roleCredentials::get).map(endpoint::withCredentials).orElse(endpoint);
    }
}
