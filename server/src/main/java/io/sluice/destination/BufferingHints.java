package io.sluice.destination;

import static java.util.Objects.requireNonNull;

import io.sluice.common.DataSize;
import java.time.Duration;

/** When a stream's buffer is flushed: on reaching {@code size} or {@code interval}, whichever first. */
public record BufferingHints(DataSize size, Duration interval) {
    public BufferingHints {
        requireNonNull(size, "size is null");
        requireNonNull(interval, "interval is null");
    }
}
