package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a local process's CPU time ({@code /proc/PID/stat} utime + stime, through {@link
 * ProcessHandle}) and peak RSS ({@code VmHWM} in {@code /proc/PID/status}, Linux only).
 */
final class ProcessProbe {
    private final long pid;
    private final ProcessHandle handle;

    private ProcessProbe(long pid, ProcessHandle handle) {
        this.pid = pid;
        this.handle = handle;
    }

    static ProcessProbe of(long pid) {
        ProcessHandle handle =
                ProcessHandle.of(pid).orElseThrow(() -> new IllegalArgumentException("no process " + pid));
        ProcessProbe probe = new ProcessProbe(pid, handle);
        probe.cpu();
        return probe;
    }

    static ProcessProbe self() {
        ProcessHandle current = ProcessHandle.current();
        return new ProcessProbe(current.pid(), current);
    }

    long pid() {
        return pid;
    }

    /** Total CPU time so far. */
    Duration cpu() {
        return handle.info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("cannot read the CPU time of process " + pid));
    }

    Optional<ByteSize> peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kib =
                            line.substring("VmHWM:".length()).replace("kB", "").strip();
                    return Optional.of(ByteSize.ofBytes(Long.parseLong(kib) * 1024));
                }
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    ProcessUsage usageSince(Duration cpuAtStart) {
        return new ProcessUsage(pid, cpu().minus(cpuAtStart), peakRss());
    }
}
