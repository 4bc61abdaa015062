package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** The Firehose endpoint a command talks to, how it signs, and how long it waits to connect and for answers. */
record Target(Endpoint endpoint, Credentials credentials, String region, Duration timeout) {
    Target {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(region, "region is null");
        requireNonNull(timeout, "timeout is null");
    }
}
