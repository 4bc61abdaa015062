package io.sluice.ingest;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The token buckets of one stream: for each limited dimension a bucket holding at most one second of
 * its rate, full at first, refilled continuously. A request takes one request token, then as many
 * leading records as both the record and the byte tokens cover. Thread-safe: one short lock per
 * request, never held while anything is stored.
 */
final class StreamThroughput {
    private static final double NANOS_PER_SECOND = 1e9;

    private final ThroughputLimits limits;
    private final LongAdder throttledRecords = new LongAdder();
    private double requests;
    private double records;
    private double bytes;
    private long lastNanos;

    StreamThroughput(ThroughputLimits limits, long nowNanos) {
        this.limits = limits;
        this.requests = (double) limits.requestsPerSecond();
        this.records = (double) limits.recordsPerSecond();
        this.bytes = (double) limits.bytesPerSecond().bytes();
        this.lastNanos = nowNanos;
    }

    Admission admit(List<ByteBuffer> batch, long nowNanos) {
        int admitted = batch.size();
        synchronized (this) {
            refill(nowNanos);
            if (limits.requestsPerSecond() > 0) {
                if (requests < 1) {
                    admitted = 0;
                } else {
                    requests -= 1;
                }
            }
            if (limits.recordsPerSecond() > 0) {
                admitted = (int) Math.min(admitted, Math.floor(records));
                records -= admitted;
            }
            if (limits.bytesPerSecond().bytes() > 0) {
                long taken = 0;
                int fitting = 0;
                while (fitting < admitted && taken + batch.get(fitting).remaining() <= bytes) {
                    taken += batch.get(fitting).remaining();
                    fitting++;
                }
                if (limits.recordsPerSecond() > 0) {
                    records += admitted - fitting;
                }
                admitted = fitting;
                bytes -= taken;
            }
        }
        if (admitted < batch.size()) {
            throttledRecords.add(batch.size() - admitted);
        }
        return admitted == 0 ? Admission.THROTTLED : new Admission.Admitted(admitted);
    }

    private static double refilled(double tokens, long perSecond, double seconds) {
        double rate = (double) perSecond;
        return Math.min(rate, tokens + seconds * rate);
    }

    long throttledRecords() {
        return throttledRecords.sum();
    }

    /** Adds the tokens earned since the last request; a clock that went back earns nothing and restarts. */
    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        lastNanos = nowNanos;
        if (elapsed <= 0) {
            return;
        }
        double seconds = elapsed / NANOS_PER_SECOND;
        requests = refilled(requests, limits.requestsPerSecond(), seconds);
        records = refilled(records, limits.recordsPerSecond(), seconds);
        bytes = refilled(bytes, limits.bytesPerSecond().bytes(), seconds);
    }
}
