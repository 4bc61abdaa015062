package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** The ExtendedS3 buffering hints of the streams the generator creates, within Firehose's ranges. */
record BufferingHints(int sizeInMBs, Duration interval) {
    BufferingHints {
        requireNonNull(interval, "interval is null");
        if (sizeInMBs < 1 || sizeInMBs > 128) {
            throw new IllegalArgumentException("buffer size must be 1 to 128 MiB: " + sizeInMBs);
        }
        if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(900)) > 0 || interval.toNanosPart() != 0) {
            throw new IllegalArgumentException("buffer interval must be 0 to 900 whole seconds: " + interval);
        }
    }
}
