package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a local process's CPU time ({@code /proc/PID/stat} utime + stime, through {@link
 * ProcessHandle}), bytes written to storage ({@code write_bytes} in {@code /proc/PID/io}) and peak RSS
 * ({@code VmHWM} in {@code /proc/PID/status}); the last two on Linux only.
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

    /** A snapshot to measure the window from. */
    Sample sample() {
        return new Sample(cpu(), written());
    }

    ProcessUsage usageSince(Sample start) {
        Optional<ByteSize> written = written()
                .flatMap(end ->
                        start.written().filter(begin -> end >= begin).map(begin -> ByteSize.ofBytes(end - begin)));
        Optional<ByteSize> peakRss = procField("status", "VmHWM:").map(kib -> ByteSize.ofBytes(kib * 1024));
        return new ProcessUsage(pid, cpu().minus(start.cpu()), written, peakRss);
    }

    private Optional<Long> written() {
        return procField("io", "write_bytes:");
    }

    /** The number after {@code name} on its line of {@code /proc/PID/file}, a trailing "kB" dropped. */
    private Optional<Long> procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
                if (line.startsWith(name)) {
                    String number =
                            line.substring(name.length()).replace("kB", "").strip();
                    return Optional.of(Long.parseLong(number));
                }
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** CPU time and storage writes at one instant. */
    record Sample(Duration cpu, Optional<Long> written) {}
}
