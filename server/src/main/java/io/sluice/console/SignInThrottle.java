package io.sluice.console;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Guesses at a secret: an access key id that failed to sign in {@code maxFailures} times within
 * {@code window} is refused until the oldest of those failures is older than the window. Remembers at most
 * {@code capacity} access key ids (the one whose last failure is oldest is forgotten first). Thread-safe.
 */
final class SignInThrottle {
    private final Clock clock;
    private final Duration window;
    private final int maxFailures;
    private final int capacity;
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    SignInThrottle(Clock clock, Duration window, int maxFailures, int capacity) {
        this.clock = requireNonNull(clock, "clock is null");
        this.window = requireNonNull(window, "window is null");
        if (maxFailures < 1 || capacity < 1) {
            throw new IllegalArgumentException("maxFailures and capacity must be at least 1");
        }
        this.maxFailures = maxFailures;
        this.capacity = capacity;
    }

    synchronized boolean allowed(String accessKeyId) {
        Deque<Instant> recent = failures.get(accessKeyId);
        if (recent == null) {
            return true;
        }
        forgetOld(recent);
        if (recent.isEmpty()) {
            failures.remove(accessKeyId);
        }
        return recent.size() < maxFailures;
    }

    synchronized void failed(String accessKeyId) {
        if (!failures.containsKey(accessKeyId) && failures.size() >= capacity) {
            failures.entrySet().stream()
                    .min(Comparator.comparing(e ->
                            e.getValue().isEmpty() ? Instant.MIN : e.getValue().getLast()))
                    .map(Map.Entry::getKey)
                    .ifPresent(failures::remove);
        }
        Deque<Instant> recent = failures.computeIfAbsent(accessKeyId, k -> new ArrayDeque<>());
        forgetOld(recent);
        recent.addLast(clock.instant());
        while (recent.size() > maxFailures) {
            recent.removeFirst();
        }
    }

    synchronized void succeeded(String accessKeyId) {
        failures.remove(accessKeyId);
    }

    private void forgetOld(Deque<Instant> recent) {
        Instant since = clock.instant().minus(window);
        while (!recent.isEmpty() && !recent.getFirst().isAfter(since)) {
            recent.removeFirst();
        }
    }
}
