package io.sluice.ingest;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.DeliveryStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Direct PUT throughput quotas, the same {@link ThroughputLimits} for every stream, each stream with
 * its own token buckets (see {@link StreamThroughput}). A put is throttled from the first record the
 * remaining budget cannot cover: the records before it are stored, it and every record after it fail
 * (records are never reordered, so a client retrying the failed tail keeps its order). A request
 * over the request rate fails whole. A record larger than the byte quota is always throttled. Counts
 * the records it throttles per stream ({@code ThrottledRecords}). Unlimited (the default): admits
 * everything without keeping any state. Thread-safe.
 */
public final class ThroughputQuotas {
    private final ThroughputLimits limits;
    private final Clock clock;
    private final Map<String, StreamThroughput> streams = new ConcurrentHashMap<>();

    public ThroughputQuotas(ThroughputLimits limits, Clock clock) {
        this.limits = requireNonNull(limits, "limits is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public ThroughputLimits limits() {
        return limits;
    }

    /** How much of a put of {@code records} to {@code stream} may be stored now; takes that budget. */
    public Admission admit(DeliveryStream stream, List<ByteBuffer> records) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a put has at least one record");
        }
        if (limits.unlimited()) {
            return new Admission.Admitted(records.size());
        }
        long now = nanos(clock.instant());
        return streams.computeIfAbsent(stream.uid(), uid -> new StreamThroughput(limits, now))
                .admit(records, now);
    }

    /** Records of the stream throttled since this process started (the metric {@code ThrottledRecords}). */
    public long throttledRecords(DeliveryStream stream) {
        StreamThroughput throughput = streams.get(stream.uid());
        return throughput == null ? 0 : throughput.throttledRecords();
    }

    /** Drops a deleted stream's buckets and count. */
    public void forget(DeliveryStream stream) {
        streams.remove(stream.uid());
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
