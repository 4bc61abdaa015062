package io.sluice.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** Timestamps as the AWS JSON 1.1 protocol writes them: epoch seconds, milliseconds as a fraction. */
public final class EpochSeconds {
    private EpochSeconds() {}

    public static BigDecimal of(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    /** The instant of a number of epoch seconds, to the millisecond. */
    public static Instant instant(BigDecimal seconds) {
        return Instant.ofEpochMilli(
                seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact());
    }
}
