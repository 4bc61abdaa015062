package io.sluice.api.auth;

import static java.util.Objects.requireNonNull;

/**
 * Who sent a request whose signature verified: the access key, its account, and the region of the
 * credential scope. Streams are namespaced by account and region.
 */
public record Authenticated(String accessKeyId, String accountId, String region) {
    public Authenticated {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(region, "region is null");
    }
}
