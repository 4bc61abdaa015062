package io.sluice.destination.s3;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * When {@link SdkObjectStore} writes as a stream's {@code RoleARN} by assuming it through STS, as
 * Firehose does, and which STS endpoint it asks ({@code stsEndpoint} absent: the SDK's regional
 * endpoint for the S3 endpoint's region). Streams whose role is mapped to configured credentials never
 * assume it.
 */
public record RoleAssumption(Mode mode, Optional<URI> stsEndpoint) {
    /** Assumes roles for endpoints on AWS only: the default, since other S3 services have no STS. */
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
        stsEndpoint.ifPresent(uri -> S3EndpointConfig.requireHttpUrl(uri, "STS endpoint"));
    }

    /** Whether a put to {@code endpoint} assumes the stream's role. */
    public boolean appliesTo(S3EndpointConfig endpoint) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> endpoint.endpoint().map(RoleAssumption::isAws).orElse(true);
        };
    }

    private static boolean isAws(URI endpoint) {
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        return host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn");
    }
}
