package io.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(clock, Duration.ofMinutes(5), 3, 2);

    @Test
    void refusesAKeyAfterTooManyFailuresWithinTheWindowUntilTheOldestLeavesIt() {
        throttle.failed("key");
        clock.advance(Duration.ofMinutes(1));
        throttle.failed("key");
        assertThat(throttle.allowed("key")).isTrue();
        throttle.failed("key");
        assertThat(throttle.allowed("key")).isFalse();
        assertThat(throttle.allowed("other")).isTrue();
        clock.advance(Duration.ofMinutes(4));
        assertThat(throttle.allowed("key")).isTrue();
    }

    @Test
    void aSuccessForgetsTheFailures() {
        throttle.failed("key");
        throttle.failed("key");
        throttle.succeeded("key");
        throttle.failed("key");
        throttle.failed("key");
        assertThat(throttle.allowed("key")).isTrue();
    }

    @Test
    void remembersAtMostItsCapacityForgettingTheStalestKey() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("stale");
        }
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            throttle.failed("fresh");
        }
        throttle.failed("third");
        assertThat(throttle.allowed("stale")).isTrue();
        assertThat(throttle.allowed("fresh")).isFalse();
    }
}
