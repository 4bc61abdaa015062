package io.sluice.api.audit;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Clock;

/** Audit lines written to a stream such as standard output, for a collector that reads it. */
public final class AuditPrinter implements AuditTrail {
    private final PrintStream out;
    private final Clock clock;

    public AuditPrinter(PrintStream out, Clock clock) {
        this.out = requireNonNull(out, "out is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void record(AuditEvent event) {
        byte[] line = AuditLines.line(clock.instant(), event);
        synchronized (out) {
            out.write(line, 0, line.length);
            out.flush();
        }
    }

    @Override
    public void close() {
        out.flush();
    }
}
