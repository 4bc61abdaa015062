package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.RoleAssumption;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link SdkObjectStore} writes to: the endpoint of every bucket unless {@code bucketEndpoints}
 * names another for it, the credentials to use for a stream's {@code RoleARN} (they replace the
 * endpoint's own), when to assume an unmapped {@code RoleARN} through STS instead, and when to upload
 * in parts.
 */
public record S3StoreConfig(
        S3EndpointConfig defaultEndpoint,
        Map<String, S3EndpointConfig> bucketEndpoints,
        Map<String, AccessKeys> roleCredentials,
        RoleAssumption roleAssumption,
        MultipartPolicy multipart) {
    public S3StoreConfig {
        requireNonNull(defaultEndpoint, "defaultEndpoint is null");
        bucketEndpoints = Map.copyOf(bucketEndpoints);
        roleCredentials = Map.copyOf(roleCredentials);
        requireNonNull(roleAssumption, "roleAssumption is null");
        requireNonNull(multipart, "multipart is null");
    }

    /**
     * How one put is made: on {@code endpoint}, signed with its credentials, or, when {@code assumedRole}
     * is present, with that role's temporary credentials, obtained from STS with the endpoint's.
     */
    public record Target(S3EndpointConfig endpoint, Optional<String> assumedRole) {
        public Target {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(assumedRole, "assumedRole is null");
        }
    }

    /** Every bucket on {@code endpoint}, default multipart policy, no role mapping, roles assumed on AWS. */
    public static S3StoreConfig of(S3EndpointConfig endpoint) {
        return new S3StoreConfig(endpoint, Map.of(), Map.of(), RoleAssumption.AUTO, MultipartPolicy.DEFAULT);
    }

    /**
     * The target of one put into {@code bucket} on behalf of {@code roleArn}: credentials mapped to the
     * role win over assuming it.
     */
    public Target resolve(String bucket, Optional<String> roleArn) {
        S3EndpointConfig endpoint = bucketEndpoints.getOrDefault(bucket, defaultEndpoint);
        Optional<AccessKeys> mapped = roleArn.map(roleCredentials::get);
        if (mapped.isPresent()) {
            return new Target(endpoint.withCredentials(mapped.get()), Optional.empty());
        }
        return new Target(endpoint, roleArn.filter(role -> roleAssumption.appliesTo(endpoint.endpoint())));
    }
}
