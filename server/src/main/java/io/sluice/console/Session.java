package io.sluice.console;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.Scope;
import java.time.Instant;

/**
 * A signed-in browser: the access key it signed in with, the account and region it works in, the token
 * its forms must carry ({@code csrf}), and when it must sign in again.
 */
record Session(String id, String accessKeyId, Scope scope, String csrf, Instant expires, String sourceAddress) {
    Session {
        requireNonNull(id, "id is null");
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(csrf, "csrf is null");
        requireNonNull(expires, "expires is null");
        requireNonNull(sourceAddress, "sourceAddress is null");
    }
}
