package io.sluice.console;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in memory (a restart signs everyone out): at most {@code capacity}, each for
 * {@code lifetime} after sign-in; signing in when full drops the session closest to expiring. Ids and
 * tokens are 256 random bits. Thread-safe.
 */
final class Sessions {
    private static final Base64.Encoder TOKENS = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;
    private final Duration lifetime;
    private final int capacity;

    Sessions(SecureRandom random, Clock clock, Duration lifetime, int capacity) {
        this.random = requireNonNull(random, "random is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.lifetime = requireNonNull(lifetime, "lifetime is null");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized Session open(String accessKeyId, Scope scope, String sourceAddress) {
        byId.values().removeIf(s -> !s.expires().isAfter(clock.instant()));
        while (byId.size() >= capacity) {
            byId.values().stream().min(Comparator.comparing(Session::expires)).ifPresent(s -> byId.remove(s.id()));
        }
        Session session = new Session(
                token(), accessKeyId, scope, token(), clock.instant().plus(lifetime), sourceAddress);
        byId.put(session.id(), session);
        return session;
    }

    Optional<Session> find(String id) {
        Session session = byId.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (!session.expires().isAfter(clock.instant())) {
            byId.remove(id);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    void close(String id) {
        byId.remove(id);
    }

    Duration lifetime() {
        return lifetime;
    }

    /**
     * Compares the SHA-256 digests of the two, in time independent of where they differ and of the expected
     * value's length.
     */
    static boolean same(String expected, String given) {
        return MessageDigest.isEqual(sha256(expected), sha256(given));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return TOKENS.encodeToString(bytes);
    }
}
