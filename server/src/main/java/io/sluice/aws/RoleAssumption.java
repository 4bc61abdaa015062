package io.sluice.aws;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * When a client acts as a stream's role (S3's {@code RoleARN}, a Lambda processor's {@code RoleArn}) by
 * assuming it through STS, as Firehose does, and which STS endpoint it asks ({@code stsEndpoint}
 * absent: the SDK's regional endpoint for the service endpoint's region). Roles mapped to configured
 * credentials are never assumed.
 */
public record RoleAssumption(Mode mode, Optional<URI> stsEndpoint) {
    /** Assumes roles for endpoints on AWS only: the default, since other services rarely have an STS. */
    public static final RoleAssumption AUTO = new RoleAssumption(Mode.AUTO, Optional.empty());

    public enum Mode {
        /** For an endpoint on AWS: none given, or a host under {@code amazonaws.com(.cn)}. */
        AUTO,
        ALWAYS,
        NEVER
    }

    public RoleAssumption {
        requireNonNull(mode, "mode is null");
        requireNonNull(stsEndpoint, "stsEndpoint is null");
        stsEndpoint.ifPresent(uri -> HttpUrl.require(uri, "STS endpoint"));
    }

    /** Whether a call to {@code endpoint} (absent: AWS's own) assumes the role. */
    public boolean appliesTo(Optional<URI> endpoint) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> endpoint.map(RoleAssumption::isAws).orElse(true);
        };
    }

    private static boolean isAws(URI endpoint) {
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn");
    }
}
