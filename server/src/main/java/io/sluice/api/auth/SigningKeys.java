package io.sluice.api.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Derived SigV4 signing keys ({@code HMAC("AWS4" + secret) → date → region → service →
 * "aws4_request"}), cached per credential (and so per secret), date and region: four HMACs saved on
 * every request. The cache holds at most {@code capacity} keys and is emptied when full; keys of past
 * dates are never used again, so emptying is the only eviction needed. Thread-safe. Returned arrays
 * are shared: callers must not modify them.
 */
final class SigningKeys {
    private final String service;
    private final int capacity;
    private final ConcurrentMap<Scope, byte[]> keys = new ConcurrentHashMap<>();

    SigningKeys(String service, int capacity) {
        this.service = requireNonNull(service, "service is null");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    byte[] signingKey(Credential credential, String date, String region) {
        if (keys.size() >= capacity) {
            keys.clear();
        }
        return keys.computeIfAbsent(
                new Scope(credential, date, region),
                scope -> derive(credential.secretAccessKey(), date, region, service));
    }

    static byte[] derive(String secret, String date, String region, String service) {
        byte[] key = Sha256.hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = Sha256.hmac(key, region);
        key = Sha256.hmac(key, service);
        return Sha256.hmac(key, "aws4_request");
    }

    int size() {
        return keys.size();
    }

    /** Credential's toString hides the secret, so this key never prints it either. */
    private record Scope(Credential credential, String date, String region) {}
}
