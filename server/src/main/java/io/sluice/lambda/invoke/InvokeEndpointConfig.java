package io.sluice.lambda.invoke;

import static java.util.Objects.requireNonNull;

import io.sluice.aws.AccessKeys;
import io.sluice.aws.HttpUrl;
import io.sluice.aws.RoleAssumption;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How {@link SdkFunctionInvoker} reaches one Lambda Invoke API: its endpoint (absent: AWS Lambda's
 * regional endpoint), its region (absent: the region in each function's ARN), static credentials
 * (absent: the SDK's default chain — environment, profile, container or instance role), when a
 * processor's {@code RoleArn} is assumed through STS (the same rule as S3's), how long one invocation
 * may take end to end, and how many invocations run on it at once (the rest wait their turn).
 */
public record InvokeEndpointConfig(
        Optional<URI> endpoint,
        Optional<String> region,
        Optional<AccessKeys> credentials,
        RoleAssumption roleAssumption,
        Duration apiCallTimeout,
        int maxConcurrency) {
    /** Firehose lets a function run 5 minutes (delivery spec §6.1.2); 30 s more cover the transport. */
    public static final Duration DEFAULT_API_CALL_TIMEOUT =
            Duration.ofMinutes(5).plusSeconds(30);

    public static final int DEFAULT_MAX_CONCURRENCY = 64;

    /** Lambda's default account concurrency; more at once from one server would only be throttled. */
    public static final int MAX_CONCURRENCY = 1_000;

    public InvokeEndpointConfig {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(roleAssumption, "roleAssumption is null");
        requireNonNull(apiCallTimeout, "apiCallTimeout is null");
        endpoint.ifPresent(uri -> HttpUrl.require(uri, "Lambda endpoint"));
        if (region.isPresent() && region.get().isBlank()) {
            throw new IllegalArgumentException("region is empty");
        }
        if (apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
            throw new IllegalArgumentException("apiCallTimeout must be positive: " + apiCallTimeout);
        }
        if (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException(
                    "maxConcurrency must be within 1.." + MAX_CONCURRENCY + ": " + maxConcurrency);
        }
    }

    /** AWS Lambda in each function's region, with the default credentials chain, roles assumed. */
    public static InvokeEndpointConfig aws() {
        return new InvokeEndpointConfig(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                RoleAssumption.AUTO,
                DEFAULT_API_CALL_TIMEOUT,
                DEFAULT_MAX_CONCURRENCY);
    }

    /** A Lambda-compatible service at {@code endpoint} in {@code region}, signed with {@code credentials}. */
    public static InvokeEndpointConfig of(URI endpoint, String region, AccessKeys credentials) {
        return new InvokeEndpointConfig(
                Optional.of(endpoint),
                Optional.of(region),
                Optional.of(credentials),
                RoleAssumption.AUTO,
                DEFAULT_API_CALL_TIMEOUT,
                DEFAULT_MAX_CONCURRENCY);
    }

    /**
     * The region a call to {@code functionArn} is signed for and sent to: the configured one, else the
     * ARN's ({@code arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]}); empty when neither.
     */
    Optional<String> regionOf(String functionArn) {
        return region.or(() -> {
            String[] parts = functionArn.split(":", -1);
            boolean lambdaArn = parts.length >= 7 && parts[0].equals("arn") && parts[2].equals("lambda");
            return lambdaArn && !parts[3].isEmpty() ? Optional.of(parts[3]) : Optional.empty();
        });
    }
}
