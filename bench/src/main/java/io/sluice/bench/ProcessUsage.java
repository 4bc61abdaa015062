package io.sluice.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * A process's CPU time (user + system) and bytes written to storage ({@code write_bytes} of {@code
 * /proc/PID/io}) in the measurement window, and its peak resident set size over its whole life
 * ({@code VmHWM} of {@code /proc/PID/status}), the last two where readable.
 */
public record ProcessUsage(long pid, Duration cpu, Optional<ByteSize> written, Optional<ByteSize> peakRss) {
    public ProcessUsage {
        requireNonNull(cpu, "cpu is null");
        requireNonNull(written, "written is null");
        requireNonNull(peakRss, "peakRss is null");
        if (cpu.isNegative()) {
            throw new IllegalArgumentException("cpu time is negative: " + cpu);
        }
    }

    /** CPU time over the window as a percentage of one core (200 means two cores busy). */
    public double percentOfOneCore(Duration window) {
        return 100.0 * cpu.toNanos() / window.toNanos();
    }
}
