package io.sluice.destination.scripted;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DestinationSpec;
import io.sluice.destination.BufferingHints;
import io.sluice.destination.s3.S3DestinationSpec;
import java.time.Duration;

/**
 * A validated {@code SplunkDestinationConfiguration}, as far as the test-only destination reads it. The
 * HEC token is a secret: never described, never printed.
 *
 * @param endpointType {@code Raw} or {@code Event}
 * @param allEvents {@code S3BackupMode} {@code AllEvents} (else {@code FailedEventsOnly})
 */
record SplunkSpec(
        String endpoint,
        String endpointType,
        String token,
        BufferingHints hints,
        Duration retryDuration,
        boolean allEvents,
        S3DestinationSpec s3)
        implements DestinationSpec {
    SplunkSpec {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(endpointType, "endpointType is null");
        requireNonNull(token, "token is null");
        requireNonNull(hints, "hints is null");
        requireNonNull(retryDuration, "retryDuration is null");
        requireNonNull(s3, "s3 is null");
    }

    @Override
    public String toString() {
        return "SplunkSpec[endpoint=" + endpoint + ", endpointType=" + endpointType + ", token=(hidden)]";
    }
}
